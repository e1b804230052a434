import { defineConfig } from 'tsup'

export default defineConfig({
  // `cdk/index` is the `@regionless/backend/cdk` subpath (the construct and the app's stacks).
  // `cli` is the `regionless-backend` bin (reconcile, backfill, redrive).
  entry: { index: 'src/index.ts', 'cdk/index': 'src/cdk/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url locates the handler sources from the CJS build too.
  shims: true,
})
