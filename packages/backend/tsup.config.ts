import { defineConfig } from 'tsup'

export default defineConfig({
  // `cdk/index` is the `@regionless/backend/cdk` subpath (the construct and the app's stacks).
  entry: { index: 'src/index.ts', 'cdk/index': 'src/cdk/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url locates the handler sources from the CJS build too.
  shims: true,
})
