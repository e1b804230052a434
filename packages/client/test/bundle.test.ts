import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
// Issue 6 asks for 12,000 B. Measured: 14,558 B gzipped, of which ky adds
// ~4.5 kB (~5.1 kB on its own, all of it reachable from `ky.create`) and our
// own code ~10.0 kB, so that target is NOT met (see docs/client.md, "Size",
// for where the bytes go); this ceiling keeps the bundle from growing back.
const TARGET = 12_000
// Issue 13 added the sign-up-first flow (+0.9 kB); issue 14 takes ky out of the core.
const BUDGET = 15_700

// The whole public API, as a browser app would ship it: minified, ky included.
// es2022 (every browser with Web Locks and BroadcastChannel supports it) so
// esbuild does not down-level classes, `??` or async functions.
async function bundle(entryPoint: string) {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  return { code: result.outputFiles[0]!.contents, inputs: Object.keys(result.metafile.inputs) }
}

describe('browser bundle', () => {
  it(`stays within ${BUDGET} B gzipped, ky included`, async () => {
    const { code, inputs } = await bundle(entry)
    expect(inputs.some((file) => file.includes('node_modules/ky/'))).toBe(true)
    const gzipped = gzipSync(code, { level: 9 }).length
    console.info(
      `@regionless/client browser bundle: ${code.length} B minified, ${gzipped} B gzipped (target ${TARGET} B)`,
    )
    expect(gzipped).toBeLessThanOrEqual(BUDGET)
  })

  it('imports no Node built-in (the browser build fails if one appears)', async () => {
    await expect(bundle(entry)).resolves.toBeDefined()
    // Proof that the check bites: a module importing a Node built-in does not bundle for the browser.
    const bad = fileURLToPath(new URL('./helpers/imports-node-builtin.ts', import.meta.url))
    await expect(bundle(bad)).rejects.toThrow(/node:crypto/)
  })
})
