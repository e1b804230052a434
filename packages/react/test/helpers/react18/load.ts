import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../../../../', import.meta.url))

/**
 * Bundles an entry of this folder with React 18 as the only React inside and
 * runs it. `react` and `react-dom` become the root's `react18`/`react-dom18`
 * (npm aliases of 18.2.0, the floor of the peer range) for every importer,
 * react-dom's own `require('react')` included, so the React 19 the other tests
 * use cannot leak in. Runs in `window`'s realm when given (a JSDOM of the
 * test's own: vitest's jsdom environment swaps `Uint8Array`, which esbuild
 * refuses to run with), else in Node's. Returns the entry's exports and the
 * files bundled.
 */
export async function loadWithReact18<T>(
  entry: string,
  platform: 'browser' | 'node',
  window?: { eval(code: string): unknown },
): Promise<{ exports: T; inputs: string[] }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    absWorkingDir: root, // aliases resolve from here: the root's node_modules
    bundle: true,
    format: 'cjs',
    platform,
    target: 'es2022',
    jsx: 'automatic',
    alias: { react: 'react18', 'react-dom': 'react-dom18', '@regionless/client': './packages/client/src/index.ts' },
    define: { 'process.env.NODE_ENV': '"development"' },
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  // CommonJS by hand; Node's require serves the builtins react-dom/server asks for on `node`.
  const body = result.outputFiles[0]!.text
  const run = (
    window
      ? window.eval(`(function (module, exports, require) {\n${body}\n})\n//# sourceURL=react18.cjs`)
      : new Function('module', 'exports', 'require', `${body}\n//# sourceURL=react18.cjs`)
  ) as (...args: unknown[]) => void
  const module = { exports: {} }
  run(module, module.exports, createRequire(import.meta.url))
  return { exports: module.exports as T, inputs: Object.keys(result.metafile.inputs) }
}
