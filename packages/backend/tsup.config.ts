import { defineConfig } from 'tsup'

export default defineConfig({
  // `replication/index` and `cdk/index` are the `@regionless/backend/replication` and
  // `@regionless/backend/cdk` subpaths (package.json "exports").
  // `cli` is the `regionless-backend` bin (reconcile, backfill, redrive, redrive-lifecycle).
  entry: {
    index: 'src/index.ts',
    'replication/index': 'src/replication/index.ts',
    'cdk/index': 'src/cdk/index.ts',
    cli: 'src/cli.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url locates the handler sources from the CJS build too.
  shims: true,
})
