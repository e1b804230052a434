import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { isTokenError } from './errors.js'
import type { FetchLike } from './fetch-jwks.js'
import { createJwksSnapshot, type SnapshotTarget } from './snapshot.js'

const USAGE = `Usage: regionless-verifier snapshot --pool <userPoolId>[,<userPoolId>...]
         [--region <region>[,...]] [--issuer <url>[,...]] [--jwks-uri <url>[,...]] [--out <file>]

Downloads each pool's JWKS and writes a snapshot (JSON) that createVerifier can start from without
network access. Comma lists are matched to the pools by position; a single value applies to every pool.
Without --out the snapshot is printed.`

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  fetch?: FetchLike
  writeFile?: (path: string, text: string) => Promise<void>
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((item) => item.trim())
}

function pick(values: string[] | undefined, i: number, count: number, flag: string): string | undefined {
  if (!values) return undefined
  if (values.length !== 1 && values.length !== count) throw new TypeError(`${flag} needs 1 or ${count} values`)
  return values.length === 1 ? values[0] : values[i]
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command !== 'snapshot') {
    io.stderr(`${USAGE}\n`)
    return command === '--help' || command === '-h' ? 0 : 2
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        pool: { type: 'string' },
        region: { type: 'string' },
        issuer: { type: 'string' },
        'jwks-uri': { type: 'string' },
        out: { type: 'string' },
        'timeout-ms': { type: 'string' },
      },
      strict: true,
    })
    const pools = list(values.pool)?.filter(Boolean)
    if (!pools?.length) throw new TypeError('--pool is required')
    const targets: SnapshotTarget[] = pools.map((userPoolId, i) => {
      const target: SnapshotTarget = { userPoolId }
      const region = pick(list(values.region), i, pools.length, '--region')
      const issuer = pick(list(values.issuer), i, pools.length, '--issuer')
      const jwksUri = pick(list(values['jwks-uri']), i, pools.length, '--jwks-uri')
      if (region) target.region = region
      if (issuer) target.issuer = issuer
      if (jwksUri) target.jwksUri = jwksUri
      return target
    })
    const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms'])
    const snapshot = await createJwksSnapshot(targets, {
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    })
    const text = `${JSON.stringify(snapshot, null, 2)}\n`
    if (values.out) {
      await (io.writeFile ?? ((path, data) => writeFile(path, data, 'utf8')))(values.out, text)
      const keys = snapshot.pools.reduce((n, pool) => n + pool.jwks.keys.length, 0)
      io.stderr(`wrote ${values.out}: ${snapshot.pools.length} pool(s), ${keys} key(s)\n`)
    } else io.stdout(text)
    return 0
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`regionless-verifier: ${isTokenError(error) ? `${error.code}: ` : ''}${message}\n`)
    return isTokenError(error) ? 1 : 2
  }
}
