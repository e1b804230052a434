import { defineConfig } from 'tsup'

export default defineConfig({
  // The CLI is a second entry so `bin` runs the built file, not the sources; the keys keep dist/cli.js.
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
