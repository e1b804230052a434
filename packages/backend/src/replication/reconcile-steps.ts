import type { SQSClient } from '@aws-sdk/client-sqs'
import type { Peer } from './apply-change.js'
import { consoleMetrics, emfLine, type MetricsSink, REPLICATION_METRIC_NAMES } from './metrics.js'
import { chooseShardDepth } from './pool-size.js'
import { measureDeadLetters, reconcilePools, regionLimiters, summarise } from './reconcile.js'
import type { Unresolved } from './reconcile-plan.js'
import { reconcileShard } from './reconcile-shard.js'
import { isShard, runShards } from './shards.js'
import type { TombstoneStore } from './tombstones.js'

/**
 * The deepest split a Step Functions run plans: its shard list travels in the
 * state (256 KB at most), and 4,096 names fit easily. 16^3 shards of 4,000
 * users cover 16 million users a pool; beyond that, shards grow (61 million
 * users make shards of 15,000, still well inside a function's memory).
 */
export const STEP_FUNCTIONS_MAX_DEPTH = 3

/** What the reconcile function is asked to do: one step of the scheduled run, or (no `step`) a whole run in-process. */
export type ReconcileEvent =
  | { step: 'plan' }
  | { step: 'shard'; shard: string }
  | { step: 'report' }
  | Record<string, unknown>

export interface ReconcileStepsOptions {
  /** Every pool, this region's first (it decides which shards this region's runs take). */
  pools: Peer[]
  tombstones?: TombstoneStore | undefined
  missing: 'create' | 'report'
  /** Each region's share of the ListUsers quota, split over the shard tasks of every region's runs. */
  listUsersRps: number
  /** Each region's share of its write quotas for repairs (repairs per second), split like `listUsersRps`. */
  repairRps?: number
  shardConcurrency: number
  otherUsernames: boolean
  deadLetterQueues?: { region: string; client: SQSClient; queueUrl: string }[]
  metrics?: MetricsSink
  log?: (line: string) => void
  now?: () => number
  /** Pauses between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>
}

/** Thrown by a shard task whose repairs failed, so that Step Functions retries it (shards are idempotent). */
export class ShardRepairError extends Error {
  override readonly name = 'ShardRepairError'
}

/**
 * The reconcile function as the deploy app runs it, under a Step Functions
 * Distributed Map: `plan` chooses the shards, each `shard` task reconciles
 * one (retried by Step Functions, and re-run alone when a failed run is
 * redriven), `report` measures the DLQs. Each shard publishes its own
 * metrics, so no step gathers the others' results. An event without `step`
 * (a direct invocation) runs a whole reconcile in-process, for small pools.
 *
 * @example
 * const reconcile = createReconcileSteps({ pools, missing: 'report', listUsersRps: 10, shardConcurrency: 4, otherUsernames: false })
 * await reconcile({ step: 'plan' }) // { depth: 1, shards: [{ shard: 'u_0' }, …] }: this region's part
 */
export function createReconcileSteps(options: ReconcileStepsOptions) {
  const metrics = options.metrics ?? consoleMetrics
  const log = options.log ?? ((line: string) => console.log(line))
  const now = options.now ?? Date.now
  // Every region runs this state machine over every pool. So that the regions do not repeat each other's
  // work, each takes every n-th shard (n pools, in region order); and so that a pool's region sees no more
  // than its share in all, each shard task reads at share ÷ (shards in flight × regions running).
  const regions = options.pools.map((p) => p.region).sort()
  const own = regions.indexOf(options.pools[0]?.region ?? '')
  const perTask = options.listUsersRps / (options.shardConcurrency * regions.length)
  const repairsPerTask =
    options.repairRps === undefined ? undefined : options.repairRps / (options.shardConcurrency * regions.length)

  return async (event: ReconcileEvent = {}) => {
    switch (event?.step) {
      case 'plan': {
        const chosen = await chooseShardDepth(options.pools, log)
        // A guessed depth can make shards too big for the function's memory: fail, Step Functions retries.
        if (chosen.estimatedUsers === undefined) throw new Error('reconcile: no pool could be sized (DescribeUserPool)')
        const depth = Math.min(chosen.depth, STEP_FUNCTIONS_MAX_DEPTH)
        const shards = runShards(depth, options.otherUsernames)
          .filter((_, i) => i % regions.length === own)
          .map((shard) => ({ shard }))
        log(
          JSON.stringify({
            level: 'info',
            event: 'reconcile.planned',
            depth,
            shards: shards.length,
            estimatedUsers: chosen.estimatedUsers,
          }),
        )
        return { depth, shards }
      }
      case 'shard': {
        const shard = (event as { shard?: unknown }).shard
        if (!isShard(shard)) throw new TypeError(`reconcile: not a shard: ${JSON.stringify(shard)}`)
        const result = await reconcileShard({
          shard,
          pools: options.pools,
          mode: 'reconcile',
          tombstones: options.tombstones,
          missing: options.missing,
          dryRun: false,
          concurrency: 4,
          limiters: regionLimiters(options.pools, perTask) as NonNullable<ReturnType<typeof regionLimiters>>,
          ...(repairsPerTask !== undefined && {
            repairLimiters: regionLimiters(options.pools, repairsPerTask) as NonNullable<
              ReturnType<typeof regionLimiters>
            >,
          }),
          now: now(),
          ...(options.sleep && { sleep: options.sleep }),
        })
        log(
          JSON.stringify({
            level: result.failed ? 'error' : 'info',
            event: 'reconcile.shard',
            ...result,
            sample: undefined,
            unresolvedSample: undefined,
          }),
        )
        logUnresolved(log, result.unresolvedSample)
        if (result.failed) throw new ShardRepairError(`${result.failed} repairs failed in shard ${shard}`)
        // Published once the shard is done, so a retried shard is not counted twice.
        metrics(
          emfLine({
            dimensions: { Job: 'reconcile' },
            metrics: [
              { name: REPLICATION_METRIC_NAMES.drift, value: result.applied, unit: 'Count' },
              { name: REPLICATION_METRIC_NAMES.unresolved, value: result.unresolved, unit: 'Count' },
            ],
            now: now(),
          }),
        )
        // Nothing for the map to gather (4,096 results would not fit an execution's state): logs and metrics
        // carry the counts.
        return {}
      }
      case 'report': {
        const dlqDepth = options.deadLetterQueues?.length
          ? await measureDeadLetters(options.deadLetterQueues, metrics, now)
          : {}
        log(JSON.stringify({ level: 'info', event: 'reconcile.finished', dlqDepth }))
        return { dlqDepth }
      }
      default: {
        const report = await reconcilePools({
          pools: options.pools,
          ...(options.tombstones && { tombstones: options.tombstones }),
          missing: options.missing,
          listUsersRps: options.listUsersRps,
          ...(options.repairRps !== undefined && { repairRps: options.repairRps }),
          shardConcurrency: options.shardConcurrency,
          otherUsernames: options.otherUsernames,
          progress: log,
          metrics,
          ...(options.deadLetterQueues && { deadLetterQueues: options.deadLetterQueues }),
        })
        log(summarise(report))
        logUnresolved(log, report.unresolved)
        return {
          planned: report.plannedCount,
          applied: report.result?.applied ?? 0,
          failed: report.result?.failed ?? 0,
          unresolved: report.unresolvedCount,
        }
      }
    }
  }
}

/**
 * One line per user reconcile left alone (missing somewhere, no tombstone), for an operator to decide with
 * `regionless-backend reconcile --missing create|report`; the `ReplicationUnresolved` metric counts them all.
 */
function logUnresolved(log: (line: string) => void, unresolved: readonly Unresolved[]) {
  for (const u of unresolved.slice(0, 100)) log(JSON.stringify({ level: 'warn', event: 'reconcile.unresolved', ...u }))
}
