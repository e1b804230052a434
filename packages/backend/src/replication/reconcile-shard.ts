import type { Peer } from './apply-change.js'
import type { UserSnapshot } from './conflict.js'
import type { RateLimiter } from './rate-limit.js'
import { planRepairs, type Repair, type Unresolved } from './reconcile-plan.js'
import { listPoolUsers, runRepairs } from './run-repairs.js'
import { belongsToShard, shardFilter } from './shards.js'
import type { TombstoneStore } from './tombstones.js'

/** Repairs and unresolved users a shard's result keeps as examples (the counts are always complete). */
export const SHARD_SAMPLE = 20

/** What a shard, or a whole run, found and did: counts, and a few examples. */
export interface ReconcileCounts {
  /** Users read per region. */
  users: Record<string, number>
  /** ListUsers pages read (all regions). */
  pages: number
  planned: number
  /** Planned repairs by `<reason>→<region>`. */
  byReason: Record<string, number>
  sample: Repair[]
  unresolved: number
  unresolvedSample: Unresolved[]
  applied: number
  skipped: number
  failed: number
  failures: { region: string; username: string; error: string }[]
}

/** What one shard of a reconcile or backfill found and did. */
export interface ShardResult extends ReconcileCounts {
  shard: string
}

export interface ShardTask {
  shard: string
  /** Every pool the run compares. */
  pools: Peer[]
  /**
   * `reconcile` makes every pool equal; `backfill` copies from `pools[0]` into
   * `pools[1]` only (creates and updates, never deletes).
   */
  mode: 'reconcile' | 'backfill'
  tombstones?: TombstoneStore | undefined
  /** Reconcile: a user missing from some pools with no tombstone is created there, or only reported. */
  missing: 'create' | 'report'
  dryRun: boolean
  /** Parallel repairs within the shard. */
  concurrency: number
  /** Each region's share of the ListUsers quota. */
  limiters?: ReadonlyMap<string, RateLimiter>
  /** Each region's share of its write quotas, repairs per second. */
  repairLimiters?: ReadonlyMap<string, RateLimiter>
  /** The deciding clock, ms. */
  now: number
  /** Each repair as it is planned (a dry run lists them). */
  onPlanned?: (repair: Repair) => void
  /** Each ListUsers page read, with its number of users (progress). */
  onPage?: (users: number) => void
  /** Pauses between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>
}

/**
 * Reconciles (or backfills) one shard: reads the shard from every pool in
 * parallel, plans with the same rules as a whole-pool run (reconcile-plan.ts)
 * and applies the repairs. Memory holds one shard, never a pool. Running a
 * shard twice is safe: the second run plans nothing.
 *
 * @example
 * const result = await reconcileShard({ shard: 'u_3a', pools, mode: 'reconcile', missing: 'report', dryRun: false, concurrency: 4, now: Date.now() })
 */
export async function reconcileShard(task: ShardTask): Promise<ShardResult> {
  const filter = shardFilter(task.shard)
  let pages = 0
  const read = await Promise.all(
    task.pools.map(
      async (pool) =>
        [
          pool.region,
          await listPoolUsers(pool, {
            filter,
            keep: (username) => belongsToShard(username, task.shard),
            limiter: task.limiters?.get(pool.region),
            ...(task.sleep && { sleep: task.sleep }),
            onPage: (users) => {
              pages++
              task.onPage?.(users)
            },
          }),
        ] as const,
    ),
  )
  const pools = new Map<string, Map<string, UserSnapshot>>(read)
  const repairs = task.mode === 'backfill' ? planBackfill(pools, task) : await planReconcile(pools, task)
  const result: ShardResult = {
    shard: task.shard,
    users: Object.fromEntries(read.map(([region, users]) => [region, users.size])),
    pages,
    planned: repairs.repairs.length,
    byReason: {},
    sample: repairs.repairs.slice(0, SHARD_SAMPLE),
    unresolved: repairs.unresolved.length,
    unresolvedSample: repairs.unresolved.slice(0, SHARD_SAMPLE),
    applied: 0,
    skipped: 0,
    failed: 0,
    failures: [],
  }
  for (const r of repairs.repairs) {
    const key = `${r.reason}→${r.region}`
    result.byReason[key] = (result.byReason[key] ?? 0) + 1
    task.onPlanned?.(r)
  }
  if (!task.dryRun && repairs.repairs.length) {
    const targets = task.mode === 'backfill' ? task.pools.slice(1, 2) : task.pools
    const summary = await runRepairs(repairs.repairs, targets, {
      tombstones: task.tombstones,
      concurrency: task.concurrency,
      limiters: task.repairLimiters,
      ...(task.sleep && { sleep: task.sleep }),
    })
    Object.assign(result, {
      applied: summary.applied,
      skipped: summary.skipped,
      failed: summary.failed,
      failures: summary.failures.slice(0, SHARD_SAMPLE),
    })
  }
  return result
}

async function planReconcile(pools: Map<string, Map<string, UserSnapshot>>, task: ShardTask) {
  let tombstones: Map<string, number> | undefined
  if (task.tombstones) {
    // Only users missing somewhere need their tombstone read.
    tombstones = new Map()
    const seen = new Set<string>()
    for (const users of pools.values()) for (const name of users.keys()) seen.add(name)
    for (const name of seen) {
      if ([...pools.values()].every((users) => users.has(name))) continue
      const at = await task.tombstones.get(name)
      if (at !== undefined) tombstones.set(name, at)
    }
  }
  return planRepairs(pools, tombstones, { missing: task.missing, now: task.now })
}

function planBackfill(pools: Map<string, Map<string, UserSnapshot>>, task: ShardTask) {
  const [from, to] = task.pools
  if (!from || !to) throw new TypeError('backfill needs a source and a target pool')
  const { repairs } = planRepairs(pools, undefined, { missing: 'create', now: task.now })
  // Only the target changes; the source is the reference.
  return { repairs: repairs.filter((r) => r.region === to.region && r.reason !== 'deleted'), unresolved: [] }
}
