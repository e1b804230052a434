// The whole test command: types, lint, build, every vitest suite (unit, integration,
// browser), packaging checks. Stops at the first failing step and ends with one
// summary line that counts the tests.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'

const steps = [
  ['types', 'pnpm', ['typecheck']],
  ['lint', 'pnpm', ['lint']],
  ['build', 'pnpm', ['build']],
  [
    'tests',
    'pnpm',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/vitest.json'],
  ],
  ['packaging', 'pnpm', ['test:packages']],
]

mkdirSync('test-output', { recursive: true })
const started = Date.now()
for (const [name, cmd, args] of steps) {
  const t0 = Date.now()
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' })
  console.log(`=== ${name}: ${status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  if (status !== 0) {
    summary()
    console.log(`${name}: step failed`)
    process.exit(status ?? 1)
  }
}
if (summary().skipped > 0) {
  console.log('tests: skipped tests are not allowed in main')
  process.exit(1)
}
console.log(`all steps passed in ${((Date.now() - started) / 1000).toFixed(0)} s`)

function summary() {
  const file = 'test-output/vitest.json'
  if (!existsSync(file)) return { skipped: 0 }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  const skipped = report.numPendingTests + report.numTodoTests
  console.log(
    `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  )
  return { skipped }
}
