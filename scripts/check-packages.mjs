// Packaging checks on each library package's build output: publint, attw, and
// an import smoke test of the ESM and CJS entry points in a plain Node process;
// then the packed packages installed with npm into an empty folder and the CDK
// app synthesized from there (scripts/check-install.mjs).
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = new URL('..', import.meta.url).pathname
const packagesDir = join(root, 'packages')
const bin = (name) => join(root, 'node_modules', '.bin', name)
let failures = 0

function run(label, cmd, args, cwd) {
  try {
    execFileSync(cmd, args, { cwd, stdio: 'pipe', encoding: 'utf8' })
    console.log(`  ok   ${label}`)
  } catch (err) {
    failures++
    console.log(`  FAIL ${label}\n${err.stdout ?? ''}${err.stderr ?? ''}`)
  }
}

for (const name of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, name)
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  console.log(pkg.name)
  run('publint', bin('publint'), ['--strict'], dir)
  run('attw', bin('attw'), ['--pack', '.', '--profile', 'node16'], dir)
  // Every entry point ('.' and subpaths such as './cdk'), not only the main one.
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue // './package.json'
    try {
      const esm = await import(pathToFileURL(join(dir, target.import.default)).href)
      const cjs = createRequire(join(dir, 'package.json'))(join(dir, target.require.default))
      const esmNames = Object.keys(esm).sort().join(',')
      const cjsNames = Object.keys(cjs).sort().join(',')
      if (!esmNames || esmNames !== cjsNames) throw new Error(`ESM exports [${esmNames}] differ from CJS [${cjsNames}]`)
      console.log(`  ok   import ${subpath} ESM + CJS (${Object.keys(esm).length} exports)`)
    } catch (err) {
      failures++
      console.log(`  FAIL import ${subpath}: ${err.message}`)
    }
  }
}

console.log('installed from the tarballs, as a user would (scripts/check-install.mjs)')
if (spawnSync(process.execPath, [join(root, 'scripts/check-install.mjs')], { stdio: 'inherit' }).status !== 0)
  failures++

console.log(failures ? `packaging: ${failures} failed` : 'packaging: all passed')
process.exit(failures ? 1 : 0)
