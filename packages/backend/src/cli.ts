#!/usr/bin/env node
// `regionless-backend reconcile|backfill|redrive|redrive-lifecycle`: see src/replication/cli-args.ts for the options.
import { runCli } from './replication/cli.js'

runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
  fetch,
}).then((code) => {
  process.exitCode = code
})
