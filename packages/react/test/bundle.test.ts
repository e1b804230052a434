import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
// Issue 7: the component and hooks, minified + gzipped, without React, ≤ 10 kB.
// The client is budgeted on its own (packages/client/test/bundle.test.ts).
// With passkeys (the button, autofill, the add prompt, <Passkeys/> and usePasskeys): 7,988 B measured, 1,404 B more than without.
const BUDGET = 10 * 1024

describe('react bundle', () => {
  it(`stays within ${BUDGET / 1024} kB gzipped without React and the client`, async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      external: ['react', 'react-dom', 'react/jsx-runtime', '@regionless/client'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((file) => file.endsWith('passwordless-login.tsx'))).toBe(true)
    expect(inputs.some((file) => file.includes('node_modules/react'))).toBe(false)
    // Passkey UI (issue 18) is in, WebAuthn is not: it comes only with the client's passkeys() plugin.
    expect(inputs.some((file) => file.endsWith('passkeys-manager.tsx'))).toBe(true)
    expect(inputs.filter((file) => file.includes('simplewebauthn') || file.includes('client/src/passkeys/'))).toEqual(
      [],
    )
    const gzipped = gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
    console.info(`@regionless/react bundle: ${gzipped} B gzipped (budget ${BUDGET} B)`)
    expect(gzipped).toBeLessThanOrEqual(BUDGET)
  })
})
