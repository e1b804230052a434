import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SQSClient } from '@aws-sdk/client-sqs'
import type { Peer } from './apply-change.js'
import { createFileCheckpoint } from './checkpoint.js'
import { type CliArgs, parseCliArgs, USAGE, UsageError } from './cli-args.js'
import { cliCredentials } from './cli-credentials.js'
import { runRedriveLifecycle } from './cli-lifecycle.js'
import { REPLICATION_USER_AGENT } from './lifecycle.js'
import { chooseShardDepth } from './pool-size.js'
import { backfillPool, reconcilePools, type ShardingOptions, summarise } from './reconcile.js'
import { redriveDeadLetters } from './redrive.js'
import { progressLine } from './run-progress.js'
import { createDynamoTombstoneStore } from './tombstones.js'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  /** A progress line that replaces the previous one (a terminal redraws it in place); default `out`. */
  status?: (line: string, final: boolean) => void
  env: Record<string, string | undefined>
  fetch: typeof fetch
}

interface Resolved {
  pools: { region: string; userPoolId: string; endpoint?: string }[]
  queues: { region: string; queueUrl: string; dlqUrl: string; lifecycleFailuresUrl?: string }[]
}

async function fromEmulator(url: string, io: CliIo): Promise<Resolved> {
  const get = async (path: string) => {
    const res = await io.fetch(`${url}${path}`)
    if (!res.ok) throw new UsageError(`${url}${path} answered ${res.status}`)
    return res.json()
  }
  const config = (await get('/_regionless/config')) as {
    regions: { region: string; userPoolId: string; endpoint: string }[]
  }
  const queues = (await get('/_regionless/queues')) as Resolved['queues']
  return { pools: config.regions.map(({ region, userPoolId, endpoint }) => ({ region, userPoolId, endpoint })), queues }
}

/**
 * Runs `regionless-backend` and resolves to the exit code: 0 done, 1 some
 * repairs failed, 2 a usage mistake. Progress lines and a summary go to `out`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs
  try {
    args = parseCliArgs(argv)
    if (args.command === 'help') {
      io.out(USAGE)
      return 0
    }
    return await run(args, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`regionless-backend: ${err.message}\n\n${USAGE}`)
      return 2
    }
    io.err(`regionless-backend: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}

async function run(args: CliArgs, io: CliIo): Promise<number> {
  const resolved: Resolved = args.emulator ? await fromEmulator(args.emulator, io) : { pools: args.pools, queues: [] }
  const local = Boolean(args.emulator) || Object.keys(args.endpoints).length > 0 || Boolean(args.sqsEndpoint)
  const credentials = cliCredentials(io.env, local)
  const peers: Peer[] = resolved.pools.map((p) => {
    const endpoint = args.endpoints[p.region] ?? p.endpoint
    return {
      region: p.region,
      userPoolId: p.userPoolId,
      client: new CognitoIdentityProviderClient({
        region: p.region,
        customUserAgent: REPLICATION_USER_AGENT,
        ...(endpoint && { endpoint }),
        ...(credentials && { credentials }),
      }),
    }
  })
  const progress = (line: string) => io.out(line)
  const status = io.status ?? ((line: string) => io.out(line))
  /** Sharding options shared by reconcile and backfill; a checkpoint is keyed by the run it belongs to. */
  const sharding = async (pools: Peer[]): Promise<ShardingOptions> => {
    const shardDepth =
      args.shardDepth ?? (args.checkpoint ? (await chooseShardDepth(pools, progress)).depth : undefined)
    const runKey = [
      args.command,
      ...pools.map((p) => `${p.region}=${p.userPoolId}`),
      `depth=${shardDepth}`,
      `other=${args.otherUsernames === true}`,
      // A dry run's shards, or another choice for missing users, are not this run's work.
      `dry-run=${args.dryRun}`,
      `missing=${args.missing ?? 'report'}`,
      `tombstones=${args.tombstoneTable ?? 'none'}`,
    ].join(' ')
    return {
      ...(shardDepth && { shardDepth }),
      ...(args.shardConcurrency && { shardConcurrency: args.shardConcurrency }),
      ...(args.listRps && { listUsersRps: args.listRps }),
      ...(args.repairRps && { repairRps: args.repairRps }),
      ...(args.otherUsernames && { otherUsernames: true }),
      ...(args.checkpoint && { checkpoint: createFileCheckpoint(args.checkpoint, runKey) }),
      onProgress: (p) => status(progressLine(p), p.shards.done === p.shards.total),
      ...(args.dryRun && {
        onPlanned: (r) => io.out(`would ${r.change.kind} ${r.change.username} in ${r.region} (${r.reason})`),
      }),
    }
  }
  const tombstones = args.tombstoneTable
    ? createDynamoTombstoneStore({
        client: new DynamoDBClient({ ...(credentials && { credentials }) }),
        tableName: args.tombstoneTable,
      })
    : undefined
  try {
    switch (args.command) {
      case 'reconcile': {
        if (peers.length < 2) throw new UsageError('reconcile needs two or more pools (--pool or --emulator)')
        const report = await reconcilePools({
          pools: peers,
          ...(tombstones && { tombstones }),
          ...(args.missing && { missing: args.missing }),
          dryRun: args.dryRun,
          ...(args.concurrency && { concurrency: args.concurrency }),
          ...(await sharding(peers)),
          progress,
          metrics: () => {},
        })
        for (const u of report.unresolved)
          io.out(`unresolved ${u.username}: in ${u.presentIn.join(',')}, not in ${u.missingIn.join(',')}`)
        if (report.unresolvedCount > report.unresolved.length)
          io.out(`… and ${report.unresolvedCount - report.unresolved.length} more unresolved`)
        io.out(summarise(report))
        return report.result?.failed || report.shards.failed.length ? 1 : 0
      }
      case 'backfill': {
        const from = peers.find((p) => p.region === args.from)
        const to = peers.find((p) => p.region === args.to)
        if (!from || !to || from === to) throw new UsageError('backfill needs --from and --to naming two known pools')
        const report = await backfillPool({
          from,
          to,
          ...(tombstones && { tombstones }),
          dryRun: args.dryRun,
          ...(args.concurrency && { concurrency: args.concurrency }),
          ...(await sharding([from, to])),
          progress,
        })
        io.out(summarise(report))
        return report.result?.failed || report.shards.failed.length ? 1 : 0
      }
      case 'redrive': {
        const known = resolved.queues.find((q) => q.region === args.region)
        const queueUrl = args.queueUrl ?? known?.queueUrl
        const dlqUrl = args.dlqUrl ?? known?.dlqUrl
        if (!queueUrl || !dlqUrl)
          throw new UsageError('redrive needs --queue-url and --dlq-url (or --emulator and --region)')
        // The emulator's queue URLs name `sqs.<region>.localhost`; its SQS server listens on 127.0.0.1, same port.
        const endpoint = args.sqsEndpoint ?? (args.emulator ? `http://127.0.0.1:${new URL(queueUrl).port}` : undefined)
        const region =
          args.region ?? /sqs\.([a-z0-9-]+)\.amazonaws/.exec(queueUrl)?.[1] ?? io.env.AWS_REGION ?? 'us-east-1'
        const sqs = new SQSClient({ region, ...(endpoint && { endpoint }), ...(credentials && { credentials }) })
        try {
          const report = await redriveDeadLetters({
            client: sqs,
            dlqUrl,
            queueUrl,
            dryRun: args.dryRun,
            skipPoison: args.skipPoison,
            ...(args.max && { max: args.max }),
            progress,
          })
          io.out(
            `found ${report.found}, moved ${report.moved}, poison ${report.poison}, left ${report.left}${report.dryRun ? ' (dry run: nothing moved)' : ''}`,
          )
          return 0
        } finally {
          sqs.destroy()
        }
      }
      case 'redrive-lifecycle':
        return await runRedriveLifecycle(args, io, resolved.queues, credentials)
      default:
        return 2
    }
  } finally {
    for (const p of peers) p.client.destroy()
  }
}
