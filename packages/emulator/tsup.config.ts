import { defineConfig } from 'tsup'

export default defineConfig({
  // The CLI is a second entry so `bin` runs the built file, not the sources.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
