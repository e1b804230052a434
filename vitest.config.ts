import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const pkg = (name: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}.ts`, import.meta.url))

// Tests run against the sources, not the build, so one run covers every package
// without a build step; the packaging checks cover the build output separately.
export default defineConfig({
  resolve: {
    // A subpath comes before its package: an alias also matches what starts with `<find>/`.
    alias: {
      '@regionless/backend/replication': pkg('backend', 'replication/index'),
      '@regionless/backend/cdk': pkg('backend', 'cdk/index'),
      '@regionless/client/passkeys': pkg('client', 'passkeys/index'),
      '@regionless/client': pkg('client'),
      '@regionless/react': pkg('react'),
      '@regionless/verifier': pkg('verifier'),
      '@regionless/backend': pkg('backend'),
      '@regionless/emulator': pkg('emulator'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.{ts,tsx}', 'examples/*/test/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
