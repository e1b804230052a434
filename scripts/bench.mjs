// Runs every benchmark under bench/<name>/index.ts (or only those named on the command line).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const dir = new URL('../bench', import.meta.url).pathname
const wanted = process.argv.slice(2)
const benches = existsSync(dir)
  ? readdirSync(dir).filter(
      (name) => existsSync(join(dir, name, 'index.ts')) && (!wanted.length || wanted.includes(name)),
    )
  : []
if (!benches.length) {
  console.error('pnpm bench: no benchmark found under bench/ yet.')
  process.exit(1)
}
for (const name of benches) {
  console.log(`\n# bench/${name}`)
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', join(dir, name, 'index.ts')], { stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
