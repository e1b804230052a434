#!/usr/bin/env node
// `regionless-backend reconcile|backfill|redrive|redrive-lifecycle`: see src/replication/cli-args.ts for the options.
import { runCli } from './replication/cli.js'

// A terminal redraws the progress bar in place; a log (CI, a file) gets a line every ten seconds.
let lastStatus = 0
const status = process.stdout.isTTY
  ? (line: string, final: boolean) => process.stdout.write(`\r${line}\x1b[K${final ? '\n' : ''}`)
  : (line: string, final: boolean) => {
      if (!final && Date.now() - lastStatus < 10_000) return
      lastStatus = Date.now()
      console.log(line)
    }

runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  status,
  env: process.env,
  fetch,
}).then((code) => {
  process.exitCode = code
})
