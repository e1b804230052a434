import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import type { Peer } from './apply-change.js'
import type { Checkpoint } from './checkpoint.js'
import { consoleMetrics, emfLine, type MetricsSink, REPLICATION_METRIC_NAMES } from './metrics.js'
import { chooseShardDepth } from './pool-size.js'
import { createRateLimiter, type RateLimiter } from './rate-limit.js'
import type { Repair, Unresolved } from './reconcile-plan.js'
import { reconcileShard, type ShardTask } from './reconcile-shard.js'
import type { RunProgress } from './run-progress.js'
import type { Progress, RepairSummary } from './run-repairs.js'
import { type RunTotals, runSharded } from './sharded-run.js'
import { runShards } from './shards.js'
import type { TombstoneStore } from './tombstones.js'

/** How a sharded run reads the pools (reconcile and backfill alike). */
export interface ShardingOptions {
  /** 16^depth shards; default from the largest pool's estimated size (pool-size.ts). */
  shardDepth?: number
  /** Also read usernames without the stable `u_…` shape (one extra pass over the whole pool, see shards.ts). */
  otherUsernames?: boolean
  /** Shards in flight at once (default 4). */
  shardConcurrency?: number
  /** Each region's share of Cognito's ListUsers quota, requests per second (default: unlimited). */
  listUsersRps?: number
  /**
   * Each region's share of its write quotas for repairs, repairs per second (default: unlimited). A
   * repair is one to three calls (UserCreation 50 RPS, UserUpdate 25 RPS by default in AWS).
   */
  repairRps?: number
  /** Finished shards are recorded here; a run given the same checkpoint again skips them. */
  checkpoint?: Checkpoint
  /** Progress after every shard and while reading (a bar with an ETA: run-progress.ts). */
  onProgress?: (progress: RunProgress) => void
  /** Each repair as it is planned (a dry run lists them). */
  onPlanned?: (repair: Repair) => void
  /** Pauses between retries of throttled or failed calls (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>
}

export interface ReconcileOptions extends ShardingOptions {
  /** Every pool of the deployment (this one included). */
  pools: Peer[]
  tombstones?: TombstoneStore
  /**
   * A user missing from some pools with no tombstone at least as new as it:
   * `report` it (the default: it may have been deleted in a way that left no
   * tombstone, such as a self-service DeleteUser, and creating it would bring
   * the account back), or `create` it where missing.
   */
  missing?: 'create' | 'report'
  dryRun?: boolean
  /** Parallel repairs within a shard (default 4). */
  concurrency?: number
  progress?: Progress
  metrics?: MetricsSink
  /** DLQs to measure (published as `ReplicationDlqDepth`). */
  deadLetterQueues?: { region: string; client: SQSClient; queueUrl: string }[]
  now?: () => number
}

export interface ReconcileReport {
  /** Users read per region. */
  users: Record<string, number>
  shards: { depth: number; total: number; resumed: number; failed: { shard: string; error: string }[] }
  /** The first repairs planned (at most REPORT_SAMPLE); `plannedCount` counts them all. */
  planned: Repair[]
  plannedCount: number
  /** Planned repairs by `<reason>→<region>`. */
  byReason: Record<string, number>
  /** The first unresolved users; `unresolvedCount` counts them all. */
  unresolved: Unresolved[]
  unresolvedCount: number
  result?: RepairSummary
  dlqDepth?: Record<string, number>
  dryRun: boolean
}

/** One share of a quota per region (pools of one region share its quotas): ListUsers, or the repairs' writes. */
export function regionLimiters(pools: readonly Peer[], rps: number | undefined) {
  if (rps === undefined) return undefined
  const limiters = new Map<string, RateLimiter>()
  for (const pool of pools) if (!limiters.has(pool.region)) limiters.set(pool.region, createRateLimiter({ rps }))
  return limiters
}

async function runOverShards(
  pools: Peer[],
  options: ShardingOptions & { progress?: Progress | undefined },
  task: Omit<ShardTask, 'shard' | 'onPage' | 'limiters' | 'repairLimiters' | 'onPlanned' | 'sleep'>,
) {
  const depth = options.shardDepth ?? (await chooseShardDepth(pools, options.progress)).depth
  const shards = runShards(depth, options.otherUsernames === true)
  const limiters = regionLimiters(pools, options.listUsersRps)
  const repairLimiters = regionLimiters(pools, options.repairRps)
  options.progress?.(`${shards.length} shards (depth ${depth}), ${options.shardConcurrency ?? 4} at a time`)
  const totals = await runSharded({
    shards,
    concurrency: options.shardConcurrency ?? 4,
    checkpoint: options.checkpoint,
    ...(options.onProgress && { onProgress: options.onProgress }),
    task: (shard, onPage) =>
      reconcileShard({
        ...task,
        shard,
        onPage,
        ...(limiters && { limiters }),
        ...(repairLimiters && { repairLimiters }),
        ...(options.onPlanned && { onPlanned: options.onPlanned }),
        ...(options.sleep && { sleep: options.sleep }),
      }),
  })
  return { depth, total: shards.length, totals }
}

function reportOf(run: { depth: number; total: number; totals: RunTotals }, dryRun: boolean): ReconcileReport {
  const { totals } = run
  return {
    users: totals.users,
    shards: { depth: run.depth, total: run.total, resumed: totals.resumed, failed: totals.failedShards },
    planned: totals.sample,
    plannedCount: totals.planned,
    byReason: totals.byReason,
    unresolved: totals.unresolvedSample,
    unresolvedCount: totals.unresolved,
    dryRun,
    ...(!dryRun && {
      result: {
        applied: totals.applied,
        skipped: totals.skipped,
        failed: totals.failed,
        byReason: totals.byReason,
        failures: totals.failures,
      },
    }),
  }
}

/**
 * Reconciliation: reads every pool shard by shard (shards.ts), plans the
 * repairs that make them equal (reconcile-plan.ts) and applies them, unless
 * `dryRun`. Memory holds the shards in flight, never a whole pool; a
 * checkpoint makes it resumable. Running it twice is safe: the second run
 * finds nothing to do.
 *
 * @example
 * const report = await reconcilePools({ pools, tombstones, listUsersRps: 10, progress: console.log })
 * console.log(summarise(report))
 */
export async function reconcilePools(options: ReconcileOptions): Promise<ReconcileReport> {
  if (!Array.isArray(options?.pools) || options.pools.length < 2)
    throw new TypeError('reconcilePools needs two or more pools')
  const now = options.now ?? Date.now
  const metrics = options.metrics ?? consoleMetrics
  const dryRun = options.dryRun === true
  const run = await runOverShards(options.pools, options, {
    pools: options.pools,
    mode: 'reconcile',
    tombstones: options.tombstones,
    missing: options.missing ?? 'report',
    dryRun,
    concurrency: options.concurrency ?? 4,
    now: now(),
  })
  const report = reportOf(run, dryRun)
  options.progress?.(
    `planned ${report.plannedCount} repairs${report.unresolvedCount ? `, ${report.unresolvedCount} unresolved` : ''}`,
  )
  if (options.deadLetterQueues?.length)
    report.dlqDepth = await measureDeadLetters(options.deadLetterQueues, metrics, now)
  metrics(
    emfLine({
      dimensions: { Job: 'reconcile' },
      metrics: [
        { name: REPLICATION_METRIC_NAMES.drift, value: report.result?.applied ?? 0, unit: 'Count' },
        { name: REPLICATION_METRIC_NAMES.unresolved, value: report.unresolvedCount, unit: 'Count' },
      ],
      now: now(),
    }),
  )
  return report
}

/** Reads each DLQ's depth and publishes it as `ReplicationDlqDepth`. */
export async function measureDeadLetters(
  queues: { region: string; client: SQSClient; queueUrl: string }[],
  metrics: MetricsSink,
  now: () => number = Date.now,
): Promise<Record<string, number>> {
  const depths: Record<string, number> = {}
  for (const dlq of queues) {
    const out = await dlq.client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    )
    const depth = Number(out.Attributes?.ApproximateNumberOfMessages ?? 0)
    depths[dlq.region] = depth
    metrics(
      emfLine({
        dimensions: { Region: dlq.region },
        metrics: [{ name: REPLICATION_METRIC_NAMES.dlqDepth, value: depth, unit: 'Count' }],
        now: now(),
      }),
    )
  }
  return depths
}

/**
 * Backfill: copies every user of an existing pool into a new (or lagging)
 * pool, shard by shard: creates the missing, updates the older, never
 * deletes anything. Safe to run twice, and to run while replication is live.
 *
 * @example
 * await backfillPool({ from: euPool, to: newApPool, progress: console.log })
 */
export async function backfillPool(
  options: ShardingOptions & {
    from: Peer
    to: Peer
    tombstones?: TombstoneStore
    dryRun?: boolean
    concurrency?: number
    progress?: Progress
    now?: () => number
  },
): Promise<ReconcileReport> {
  const dryRun = options.dryRun === true
  const pools = [options.from, options.to]
  const run = await runOverShards(pools, options, {
    pools,
    mode: 'backfill',
    tombstones: options.tombstones,
    missing: 'create',
    dryRun,
    concurrency: options.concurrency ?? 4,
    now: (options.now ?? Date.now)(),
  })
  options.progress?.(`planned ${run.totals.planned} changes in ${options.to.region}`)
  return reportOf(run, dryRun)
}

/** A short human summary of a report (what the CLI prints last). */
export function summarise(report: ReconcileReport): string {
  const reasons = Object.entries(report.byReason)
  const lines = [
    `users: ${Object.entries(report.users)
      .map(([r, n]) => `${r}=${n}`)
      .join(' ')}`,
    `shards: ${report.shards.total} (depth ${report.shards.depth})${report.shards.resumed ? `, ${report.shards.resumed} resumed from the checkpoint` : ''}`,
    `planned: ${report.plannedCount}${reasons.length ? ` (${reasons.map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`,
  ]
  if (report.unresolvedCount) {
    lines.push(`unresolved (present in some pools only, no tombstone): ${report.unresolvedCount}`)
  }
  if (report.dryRun) lines.push('dry run: nothing changed')
  else if (report.result && report.plannedCount) {
    lines.push(
      `applied: ${report.result.applied}, already fine: ${report.result.skipped}, failed: ${report.result.failed}`,
    )
    for (const f of report.result.failures.slice(0, 10)) lines.push(`  failed ${f.region} ${f.username}: ${f.error}`)
  } else lines.push('nothing to do')
  for (const f of report.shards.failed.slice(0, 10)) lines.push(`  shard ${f.shard} failed: ${f.error}`)
  if (report.shards.failed.length) lines.push(`${report.shards.failed.length} shards failed: run again to resume them`)
  if (report.dlqDepth)
    lines.push(
      `DLQ depth: ${Object.entries(report.dlqDepth)
        .map(([r, n]) => `${r}=${n}`)
        .join(' ')}`,
    )
  return lines.join('\n')
}
