import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import type { Peer } from './apply-change.js'
import type { UserSnapshot } from './conflict.js'
import { consoleMetrics, emfLine, type MetricsSink, REPLICATION_METRIC_NAMES } from './metrics.js'
import { planRepairs, type Repair, type Unresolved } from './reconcile-plan.js'
import { listPoolUsers, type Progress, type RepairSummary, runRepairs } from './run-repairs.js'
import type { TombstoneStore } from './tombstones.js'

export interface ReconcileOptions {
  /** Every pool of the deployment (this one included). */
  pools: Peer[]
  tombstones?: TombstoneStore
  /**
   * See PlanOptions.missing; default `report`, with or without a tombstone store: a self-service
   * `DeleteUser` (or a delete whose event was lost) leaves no tombstone, and `create` would undo it.
   */
  missing?: 'create' | 'report'
  dryRun?: boolean
  concurrency?: number
  progress?: Progress
  metrics?: MetricsSink
  /** DLQs to measure (published as `ReplicationDlqDepth`). */
  deadLetterQueues?: { region: string; client: SQSClient; queueUrl: string }[]
  now?: () => number
}

export interface ReconcileReport {
  users: Record<string, number>
  planned: Repair[]
  unresolved: Unresolved[]
  result?: RepairSummary
  dlqDepth?: Record<string, number>
  dryRun: boolean
}

/**
 * Reconciliation: reads every pool page by page, plans the repairs that make
 * them equal (reconcile-plan.ts) and applies them, unless `dryRun`. Running it
 * twice is safe: the second run finds nothing to do.
 *
 * @example
 * const report = await reconcilePools({ pools, tombstones, progress: console.log })
 * console.log(summarise(report))
 */
export async function reconcilePools(options: ReconcileOptions): Promise<ReconcileReport> {
  if (!Array.isArray(options?.pools) || options.pools.length < 2)
    throw new TypeError('reconcilePools needs two or more pools')
  const progress = options.progress ?? (() => {})
  const now = options.now ?? Date.now
  const metrics = options.metrics ?? consoleMetrics
  const pools = new Map<string, Map<string, UserSnapshot>>()
  for (const pool of options.pools) pools.set(pool.region, await listPoolUsers(pool, { progress }))

  let tombstones: Map<string, number> | undefined
  if (options.tombstones) {
    tombstones = new Map()
    const everywhere = new Set<string>()
    for (const users of pools.values()) for (const name of users.keys()) everywhere.add(name)
    for (const name of everywhere) {
      if ([...pools.values()].every((users) => users.has(name))) continue
      const at = await options.tombstones.get(name)
      if (at !== undefined) tombstones.set(name, at)
    }
  }
  const missing = options.missing ?? 'report'
  const { repairs, unresolved } = planRepairs(pools, tombstones, { missing, now: now() })
  progress(`planned ${repairs.length} repairs${unresolved.length ? `, ${unresolved.length} unresolved` : ''}`)
  const report: ReconcileReport = {
    users: Object.fromEntries([...pools].map(([region, users]) => [region, users.size])),
    planned: repairs,
    unresolved,
    dryRun: options.dryRun === true,
  }
  if (!options.dryRun && repairs.length) {
    report.result = await runRepairs(repairs, options.pools, {
      tombstones: options.tombstones,
      concurrency: options.concurrency ?? 4,
      progress,
    })
  }
  if (options.deadLetterQueues?.length) {
    report.dlqDepth = {}
    for (const dlq of options.deadLetterQueues) {
      const out = await dlq.client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
      const depth = Number(out.Attributes?.ApproximateNumberOfMessages ?? 0)
      report.dlqDepth[dlq.region] = depth
      metrics(
        emfLine({
          dimensions: { Region: dlq.region },
          metrics: [{ name: REPLICATION_METRIC_NAMES.dlqDepth, value: depth, unit: 'Count' }],
          now: now(),
        }),
      )
    }
  }
  metrics(
    emfLine({
      dimensions: { Job: 'reconcile' },
      metrics: [{ name: REPLICATION_METRIC_NAMES.drift, value: report.result?.applied ?? 0, unit: 'Count' }],
      now: now(),
    }),
  )
  return report
}

/**
 * Backfill: copies every user of an existing pool into a new (or lagging)
 * pool — creates the missing, updates the older, never deletes anything.
 * Safe to run twice, and to run while replication is live.
 *
 * @example
 * await backfillPool({ from: euPool, to: newApPool, progress: console.log })
 */
export async function backfillPool(options: {
  from: Peer
  to: Peer
  tombstones?: TombstoneStore
  dryRun?: boolean
  concurrency?: number
  progress?: Progress
}): Promise<ReconcileReport> {
  const progress = options.progress ?? (() => {})
  const source = await listPoolUsers(options.from, { progress })
  const target = await listPoolUsers(options.to, { progress })
  const pools = new Map([
    [options.from.region, source],
    [options.to.region, target],
  ])
  const { repairs } = planRepairs(pools, undefined, { missing: 'create' })
  // Only the target changes; the source is the reference.
  const planned = repairs.filter((r) => r.region === options.to.region && r.reason !== 'deleted')
  progress(`planned ${planned.length} changes in ${options.to.region}`)
  const report: ReconcileReport = {
    users: { [options.from.region]: source.size, [options.to.region]: target.size },
    planned,
    unresolved: [],
    dryRun: options.dryRun === true,
  }
  if (!options.dryRun && planned.length) {
    report.result = await runRepairs(planned, [options.to], {
      tombstones: options.tombstones,
      concurrency: options.concurrency ?? 4,
      progress,
    })
  }
  return report
}

/** A short human summary of a report (what the CLI prints last). */
export function summarise(report: ReconcileReport): string {
  const counts: Record<string, number> = {}
  for (const r of report.planned) counts[`${r.reason}→${r.region}`] = (counts[`${r.reason}→${r.region}`] ?? 0) + 1
  const lines = [
    `users: ${Object.entries(report.users)
      .map(([r, n]) => `${r}=${n}`)
      .join(' ')}`,
    `planned: ${report.planned.length}${
      Object.keys(counts).length
        ? ` (${Object.entries(counts)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')})`
        : ''
    }`,
  ]
  if (report.unresolved.length) {
    lines.push(`unresolved (present in some pools only, no tombstone rule): ${report.unresolved.length}`)
  }
  if (report.dryRun) lines.push('dry run: nothing changed')
  else if (report.result) {
    lines.push(
      `applied: ${report.result.applied}, already fine: ${report.result.skipped}, failed: ${report.result.failed}`,
    )
    for (const f of report.result.failures.slice(0, 10)) lines.push(`  failed ${f.region} ${f.username}: ${f.error}`)
  } else lines.push('nothing to do')
  if (report.dlqDepth)
    lines.push(
      `DLQ depth: ${Object.entries(report.dlqDepth)
        .map(([r, n]) => `${r}=${n}`)
        .join(' ')}`,
    )
  return lines.join('\n')
}
