/** The parsed command line of `regionless-backend`. */
export interface CliArgs {
  command: 'reconcile' | 'backfill' | 'redrive' | 'redrive-lifecycle' | 'help'
  pools: { region: string; userPoolId: string }[]
  endpoints: Record<string, string>
  emulator?: string
  from?: string
  to?: string
  region?: string
  queueUrl?: string
  dlqUrl?: string
  /** redrive-lifecycle in AWS: the lifecycle function to invoke. */
  functionName?: string
  sqsEndpoint?: string
  tombstoneTable?: string
  missing?: 'create' | 'report'
  max?: number
  concurrency?: number
  shardDepth?: number
  shardConcurrency?: number
  listRps?: number
  repairRps?: number
  checkpoint?: string
  otherUsernames?: boolean
  skipPoison: boolean
  dryRun: boolean
}

export const USAGE = `regionless-backend <reconcile|backfill|redrive|redrive-lifecycle> [options]

  reconcile          compare every pool shard by shard and repair drift
  backfill           copy every user of one pool into another (--from, --to)
  redrive            move a region's DLQ messages back to its replication queue
  redrive-lifecycle  replay a region's failed lifecycle events through its lifecycle function

Pools and endpoints:
  --emulator URL               take pools, endpoints and queues from a running emulator
  --pool REGION=USER_POOL_ID   a pool (repeat; reconcile needs two or more)
  --endpoint REGION=URL        Cognito endpoint override for a region (repeat)
Options:
  --from REGION --to REGION    backfill source and target
  --region REGION              redrive, redrive-lifecycle: whose queues (with --emulator)
  --queue-url URL --dlq-url URL  redrive: the queues (in AWS)
  --queue-url URL --function NAME  redrive-lifecycle: the lifecycle-failures queue and function (in AWS)
  --sqs-endpoint URL           SQS endpoint override
  --tombstone-table NAME       DynamoDB table holding tombstones (deletes are never undone)
  --missing create|report      users in some pools only, no tombstone (default: report; create undoes
                               a self-service DeleteUser, which leaves no tombstone)
  --max N                      redrive at most N messages
  --skip-poison                redrive: leave unreadable messages in the DLQ
  --concurrency N              parallel repairs within a shard (default 4)
  --shard-depth N              16^N shards (1-4; default from the largest pool's size)
  --shard-concurrency N        shards read at once (default 4)
  --list-rps N                 share of each region's ListUsers quota, requests/s (default: unlimited;
                               AWS allows 30/s per account and region, shared with your app)
  --repair-rps N               share of each region's write quotas for repairs, repairs/s (default: unlimited;
                               AWS allows UserCreation 50/s and UserUpdate 25/s, shared with your app)
  --checkpoint FILE            record finished shards; run again with the same FILE to resume
  --other-usernames            also read usernames that are not u_… (one extra pass over each pool)
  --dry-run                    print the plan, change nothing
  --help
`

/** Thrown for a command line mistake; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/

function pair(value: string, flag: string): [string, string] {
  const at = value.indexOf('=')
  const key = value.slice(0, at)
  if (at < 1 || !REGION_RE.test(key) || at === value.length - 1)
    throw new UsageError(`${flag} wants REGION=VALUE, got ${value}`)
  return [key, value.slice(at + 1)]
}

function int(value: string, flag: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} wants a positive integer, got ${value}`)
  return n
}

/**
 * Parses `regionless-backend` arguments (pure).
 *
 * @example
 * parseCliArgs(['reconcile', '--emulator', 'http://127.0.0.1:9229', '--dry-run'])
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help', pools: [], endpoints: {}, skipPoison: false, dryRun: false }
  }
  if (command !== 'reconcile' && command !== 'backfill' && command !== 'redrive' && command !== 'redrive-lifecycle') {
    throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  }
  const args: CliArgs = { command, pools: [], endpoints: {}, skipPoison: false, dryRun: false }
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] as string
    const value = () => {
      const v = rest[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--dry-run':
        args.dryRun = true
        break
      case '--skip-poison':
        args.skipPoison = true
        break
      case '--help':
      case '-h':
        args.command = 'help'
        break
      case '--pool': {
        const [region, userPoolId] = pair(value(), flag)
        args.pools.push({ region, userPoolId })
        break
      }
      case '--endpoint': {
        const [region, url] = pair(value(), flag)
        args.endpoints[region] = url
        break
      }
      case '--emulator':
        args.emulator = value().replace(/\/$/, '')
        break
      case '--from':
        args.from = value()
        break
      case '--to':
        args.to = value()
        break
      case '--region':
        args.region = value()
        break
      case '--queue-url':
        args.queueUrl = value()
        break
      case '--dlq-url':
        args.dlqUrl = value()
        break
      case '--function':
        args.functionName = value()
        break
      case '--sqs-endpoint':
        args.sqsEndpoint = value()
        break
      case '--tombstone-table':
        args.tombstoneTable = value()
        break
      case '--missing': {
        const v = value()
        if (v !== 'create' && v !== 'report') throw new UsageError('--missing is create or report')
        args.missing = v
        break
      }
      case '--max':
        args.max = int(value(), flag)
        break
      case '--concurrency':
        args.concurrency = int(value(), flag)
        break
      case '--shard-depth': {
        const depth = int(value(), flag)
        if (depth > 4) throw new UsageError(`${flag} is 1 to 4, got ${depth}`)
        args.shardDepth = depth
        break
      }
      case '--shard-concurrency':
        args.shardConcurrency = int(value(), flag)
        break
      case '--list-rps':
        args.listRps = int(value(), flag)
        break
      case '--repair-rps':
        args.repairRps = int(value(), flag)
        break
      case '--checkpoint':
        args.checkpoint = value()
        break
      case '--other-usernames':
        args.otherUsernames = true
        break
      default:
        throw new UsageError(`unknown option ${flag}`)
    }
  }
  return args
}
