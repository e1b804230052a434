import { defineConfig } from 'tsup'

export default defineConfig({
  // One file per entry: `passkeys` is the only one that imports @simplewebauthn/browser.
  entry: { index: 'src/index.ts', passkeys: 'src/passkeys/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
