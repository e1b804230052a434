import { defineConfig } from 'tsup'

export default defineConfig({
  // `cli` is the `regionless-verifier` executable (bin: dist/cli.js); only `index` gets type declarations.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  // One file per format: a cold start reads a single module.
  splitting: false,
  sourcemap: true,
  target: 'es2022',
})
