// `pnpm bench [name…]`: every benchmark under bench/<name>/index.ts, and the
// vitest benches of the packages (`packages/*/bench/*.bench.ts`, name: the package).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const wanted = process.argv.slice(2)
const pick = (name) => !wanted.length || wanted.includes(name)

const scripts = readdirSync(join(root, 'bench'))
  .filter((name) => existsSync(join(root, 'bench', name, 'index.ts')) && pick(name))
  .map((name) => ({ name: `bench/${name}`, args: ['--import', 'tsx', join(root, 'bench', name, 'index.ts')] }))
const vitestBenches = readdirSync(join(root, 'packages'))
  .filter((name) => existsSync(join(root, 'packages', name, 'bench')) && pick(name))
  .map((name) => ({
    name: `packages/${name}/bench`,
    args: [join(root, 'node_modules/vitest/vitest.mjs'), 'bench', '--run', `packages/${name}/bench`],
  }))

const benches = [...scripts, ...vitestBenches]
if (!benches.length) {
  console.error(`pnpm bench: nothing matches ${wanted.join(', ') || 'anything'}`)
  process.exit(1)
}
for (const bench of benches) {
  console.log(`\n# ${bench.name}`)
  const { status } = spawnSync(process.execPath, bench.args, { stdio: 'inherit', cwd: root })
  if (status !== 0) process.exit(status ?? 1)
}
