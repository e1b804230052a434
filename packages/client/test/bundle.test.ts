import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const passkeysEntry = fileURLToPath(new URL('../src/passkeys/index.ts', import.meta.url))
// Budgets, min + gzip, browser build (see docs/client.md, "Size"):
// the core (sign-up, code, link, failover, tokens, bridge, state, storage
// adapters, fetchApi) without ky, and the core with createApi (ky included).
// Targets 10,000 B and 14,600 B (issue 14) are not met yet: measured 11,263 B
// and 15,851 B, of which refresh-token rotation (issue 15: GetTokensFromRefreshToken
// with its fallback, adopting another tab's rotated token) costs 116 B and 96 B.
// Bridging once per sign-in and signing out of every bridged pool (issue 16:
// the first ID token kept per region, revocation through the router, a bridge
// that ends after sign-out revoked) costs 78 B and 86 B: 11,341 B and 15,937 B.
// Passkeys (issue 18) put only a plugin slot in the core: the AuthClient
// methods that reject with PASSKEYS_NOT_CONFIGURED, the `waiting-for-passkey`
// status and the flows lent to the plugin: 348 B and 339 B (11,689 B and 16,276 B).
// These ceilings (the measured sizes rounded up to 50 B) keep the bundle from
// growing meanwhile.
const CORE_TARGET = 10_000
const WITH_API_TARGET = 14_600
const CORE_BUDGET = 11_700
const WITH_API_BUDGET = 16_300
// What `passkeys()` adds to an app's bundle (its flows and @simplewebauthn/browser), measured 4,363 B (14,427 B min).
const PASSKEYS_BUDGET = 4_400
const isWebAuthn = (file: string) => file.includes('@simplewebauthn/browser') || file.includes('/src/passkeys/')

// Everything the package exports except createApi: what an app ships when
// it does not call its API through ky.
const coreExports = () => {
  const names = [...readFileSync(entry, 'utf8').matchAll(/^export \{([^}]+)\} from/gm)]
    .flatMap((m) => m[1]!.split(','))
    .map((n) => n.trim())
    .filter((n) => n && !n.startsWith('type ') && n !== 'createApi')
  return `export { ${names.join(', ')} } from ${JSON.stringify(entry)}`
}

// Minified, as a browser app would ship it. es2022 (every browser with Web
// Locks and BroadcastChannel supports it) so esbuild does not down-level
// classes, `??` or async functions.
async function bundle(source: { entryPoint: string } | { contents: string }) {
  const result = await build({
    ...('entryPoint' in source
      ? { entryPoints: [source.entryPoint] }
      : { stdin: { contents: source.contents, resolveDir: fileURLToPath(new URL('.', import.meta.url)) } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.contents
  // Modules that put bytes in the output (a module parsed and then tree-shaken away puts none).
  const output = Object.values(result.metafile.outputs)[0]!
  const inputs = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file)
  return { code, gzipped: gzipSync(code, { level: 9 }).length, inputs }
}

describe('browser bundle', () => {
  it(`core: at most ${CORE_BUDGET} B gzipped, and no ky in it`, async () => {
    const core = await bundle({ contents: coreExports() })
    console.info(`@regionless/client core: ${core.code.length} B min, ${core.gzipped} B gz (target ${CORE_TARGET})`)
    expect(core.inputs.some((file) => file.includes('node_modules/ky/'))).toBe(false)
    expect(core.gzipped).toBeLessThanOrEqual(CORE_BUDGET)
  })

  it('an app without passkeys ships no WebAuthn code; passkeys() adds at most its budget', async () => {
    const core = await bundle({ contents: coreExports() })
    expect(core.inputs.filter(isWebAuthn)).toEqual([])
    expect(new TextDecoder().decode(core.code).includes('navigator.credentials')).toBe(false)
    const app = `import { createAuthClient } from ${JSON.stringify(entry)}`
    const plain = await bundle({ contents: `${app}\nexport const make = (c) => createAuthClient(c)` })
    const withPasskeys = await bundle({
      contents: `${app}\nimport { passkeys } from ${JSON.stringify(passkeysEntry)}
export const make = (c) => createAuthClient({ ...c, passkeys: passkeys() })`,
    })
    // The check bites: the app that passes the plugin does carry simplewebauthn.
    expect(withPasskeys.inputs.some((file) => file.includes('@simplewebauthn/browser'))).toBe(true)
    expect(plain.inputs.filter(isWebAuthn)).toEqual([])
    const added = withPasskeys.gzipped - plain.gzipped
    console.info(
      `@regionless/client/passkeys adds ${withPasskeys.code.length - plain.code.length} B min, ${added} B gz (budget ${PASSKEYS_BUDGET})`,
    )
    expect(added).toBeLessThanOrEqual(PASSKEYS_BUDGET)
  })

  it(`core + createApi: at most ${WITH_API_BUDGET} B gzipped, ky included`, async () => {
    const all = await bundle({ entryPoint: entry })
    console.info(
      `@regionless/client + createApi: ${all.code.length} B min, ${all.gzipped} B gz (target ${WITH_API_TARGET})`,
    )
    expect(all.inputs.some((file) => file.includes('node_modules/ky/'))).toBe(true)
    expect(all.gzipped).toBeLessThanOrEqual(WITH_API_BUDGET)
  })

  it('imports no Node built-in (the browser build fails if one appears)', async () => {
    await expect(bundle({ entryPoint: entry })).resolves.toBeDefined()
    // Proof that the check bites: a module importing a Node built-in does not bundle for the browser.
    const bad = fileURLToPath(new URL('./helpers/imports-node-builtin.ts', import.meta.url))
    await expect(bundle({ entryPoint: bad })).rejects.toThrow(/node:crypto/)
  })
})
