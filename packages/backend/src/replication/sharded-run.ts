import type { Checkpoint } from './checkpoint.js'
import { describeFailure } from './failures.js'
import type { ReconcileCounts, ShardResult } from './reconcile-shard.js'
import type { RunProgress } from './run-progress.js'

/** Repairs, unresolved users and failures a run's report keeps as examples (the counts are always complete). */
export const REPORT_SAMPLE = 1_000

/** A run's totals over its shards, resumed ones included. */
export interface RunTotals extends ReconcileCounts {
  /** Shards that failed as a whole (a pool could not be read): not recorded, so a resumed run reads them again. */
  failedShards: { shard: string; error: string }[]
  resumed: number
}

export function emptyTotals(): RunTotals {
  return {
    users: {},
    pages: 0,
    planned: 0,
    byReason: {},
    sample: [],
    unresolved: 0,
    unresolvedSample: [],
    applied: 0,
    skipped: 0,
    failed: 0,
    failures: [],
    failedShards: [],
    resumed: 0,
  }
}

/** Adds one shard's result to the totals (pure but for `totals`, which it updates). */
export function addShard(totals: RunTotals, result: ShardResult): RunTotals {
  for (const [region, n] of Object.entries(result.users)) totals.users[region] = (totals.users[region] ?? 0) + n
  for (const [key, n] of Object.entries(result.byReason)) totals.byReason[key] = (totals.byReason[key] ?? 0) + n
  totals.pages += result.pages
  totals.planned += result.planned
  totals.unresolved += result.unresolved
  totals.applied += result.applied
  totals.skipped += result.skipped
  totals.failed += result.failed
  const room = (list: unknown[]) => Math.max(0, REPORT_SAMPLE - list.length)
  totals.sample.push(...result.sample.slice(0, room(totals.sample)))
  totals.unresolvedSample.push(...result.unresolvedSample.slice(0, room(totals.unresolvedSample)))
  totals.failures.push(...result.failures.slice(0, room(totals.failures)))
  return totals
}

export interface ShardedRunOptions {
  shards: readonly string[]
  /** Shards in flight at once. */
  concurrency: number
  /** Runs one shard; `onPage` counts ListUsers pages and their users for progress. */
  task: (shard: string, onPage: (users: number) => void) => Promise<ShardResult>
  checkpoint?: Checkpoint | undefined
  /** Called after every shard, and while shards read (at most every `progressEveryMs`). */
  onProgress?: (progress: RunProgress) => void
  progressEveryMs?: number
  now?: () => number
}

/**
 * Runs shards in parallel lanes, skipping those a checkpoint says are done
 * and recording each as it finishes. A shard that fails is reported and left
 * unrecorded (a resumed run reads it again); the others go on.
 *
 * @example
 * const totals = await runSharded({ shards: shardPrefixes(2), concurrency: 4, task: (s, onPage) => reconcileShard({ … }) })
 */
export async function runSharded(options: ShardedRunOptions): Promise<RunTotals> {
  const now = options.now ?? (() => performance.now())
  const started = now()
  const totals = emptyTotals()
  const finished = (await options.checkpoint?.finished()) ?? new Map<string, ShardResult>()
  const todo: string[] = []
  for (const shard of options.shards) {
    const earlier = finished.get(shard)
    if (earlier) {
      addShard(totals, earlier)
      totals.resumed++
    } else todo.push(shard)
  }
  let done = totals.resumed
  let pagesInFlight = 0
  let usersInFlight = 0
  let lastReport = Number.NEGATIVE_INFINITY
  const report = (force: boolean) => {
    const t = now()
    if (!options.onProgress || (!force && t - lastReport < (options.progressEveryMs ?? 1_000))) return
    lastReport = t
    options.onProgress({
      shards: { done, total: options.shards.length },
      resumed: totals.resumed,
      usersRead: Object.values(totals.users).reduce((a, b) => a + b, 0) + usersInFlight,
      pages: totals.pages + pagesInFlight,
      planned: totals.planned,
      applied: totals.applied,
      failed: totals.failed + totals.failedShards.length,
      elapsedMs: t - started,
    })
  }
  let next = 0
  const lane = async () => {
    while (next < todo.length) {
      const shard = todo[next++] as string
      let pages = 0
      let users = 0
      try {
        const result = await options.task(shard, (onPage) => {
          pages++
          users += onPage
          pagesInFlight++
          usersInFlight += onPage
          report(false)
        })
        addShard(totals, result)
        // A shard with failed repairs is not finished: left unrecorded, a resumed run does it again.
        if (result.failed) totals.failedShards.push({ shard, error: `${result.failed} repairs failed` })
        else await options.checkpoint?.record(result)
      } catch (err) {
        totals.failedShards.push({ shard, error: describeFailure(err) })
      } finally {
        pagesInFlight -= pages
        usersInFlight -= users
      }
      done++
      report(true)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane))
  // A run that finished everything leaves no checkpoint behind: the next run starts afresh.
  if (!totals.failedShards.length) await options.checkpoint?.complete?.()
  return totals
}
