#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { DEFAULT_ALLOWED_ORIGINS, parseOrigin } from '../config/allowed-origins.js'
import type { EmulatorConfigFile, Topology } from '../config/emulator-config.js'
import { startEmulator } from '../emulator.js'
import { renderTable } from './table.js'

const HELP = `regionless-emulator — a local multi-region Amazon Cognito with an inbox and fault injection

Usage: regionless-emulator [--port 9229] [--regions eu-west-1,us-east-1] [--topology pools|replicas] [--config FILE] [--replication]
                           [--allow-origin ORIGIN]...

  --port      control server port; region i listens on port + 1 + i (0: random ports)   default 9229
  --regions   comma-separated region names                                            default eu-west-1,us-east-1
  --topology  pools (a pool per region) or replicas (one multi-Region pool)            default pools
  --config    a JSON file: pool and client ids, app client settings, trigger options
  --replication  run the backend's replication between the pools (pools topology)
  --allow-origin a browser origin allowed to call the emulator (your app's, e.g. http://localhost:3000);
              repeat for several. Overrides the config file's allowedOrigins.   default ${DEFAULT_ALLOWED_ORIGINS.join(', ')}
  --help      this text

Everything listens on 127.0.0.1 only and answers only Host 127.0.0.1, localhost or [::1]. Requests
from other browser origins get 403: a web page you visit cannot read the inbox's codes or set faults.
Open the inbox URL to read codes and click magic links.`

function fail(message: string): never {
  process.stderr.write(`regionless-emulator: ${message}\n\n${HELP}\n`)
  process.exit(2)
}

const time = () => new Date().toISOString().slice(11, 19)

async function main() {
  let values: {
    port?: string
    regions?: string
    topology?: string
    config?: string
    replication?: boolean
    'allow-origin'?: string[]
    help?: boolean
  }
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        regions: { type: 'string' },
        topology: { type: 'string' },
        config: { type: 'string' },
        replication: { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return
  }
  const port = values.port === undefined ? 9229 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be a port number')
  const topology = values.topology
  if (topology !== undefined && topology !== 'pools' && topology !== 'replicas') {
    fail('--topology must be pools or replicas')
  }
  const allowedOrigins = values['allow-origin']?.map(
    (origin) =>
      parseOrigin(origin) ?? fail(`--allow-origin ${origin} is not a web origin (e.g. http://localhost:3000)`),
  )
  let config: EmulatorConfigFile | undefined
  if (values.config) {
    try {
      config = JSON.parse(readFileSync(values.config, 'utf8')) as EmulatorConfigFile
    } catch (err) {
      fail(`cannot read --config ${values.config}: ${(err as Error).message}`)
    }
  }
  // The SDK's notice about future Node versions says nothing about the emulator; keep the start-up banner clean.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const regions = values.regions
    ?.split(',')
    .map((r) => r.trim())
    .filter(Boolean)

  const emulator = await startEmulator({
    port,
    ...(regions && { regions }),
    ...(topology && { topology: topology as Topology }),
    ...(config && { config }),
    ...(values.replication && { replication: true }),
    ...(allowedOrigins && { allowedOrigins }),
    log: (line) => process.stdout.write(`${time()} ${line}\n`),
  })
  process.stdout.write(`${renderTable(emulator.config, emulator.controlUrl)}\n\n`)

  let closing = false
  const stop = () => {
    if (closing) return
    closing = true
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: Error) => {
  process.stderr.write(`regionless-emulator: ${err.message}\n`)
  process.exit(1)
})
