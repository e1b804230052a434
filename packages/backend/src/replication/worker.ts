import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs'
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { applyChange, type Peer } from './apply-change.js'
import { backoffSeconds, classifyFailure, describeFailure, type FailureClass } from './failures.js'
import { consoleLog, type ReplicationLog } from './log.js'
import { PoisonMessageError, parseMessage, type ReplicationMessage } from './message.js'
import { consoleMetrics, emfLine, type Metric, type MetricsSink, REPLICATION_METRIC_NAMES } from './metrics.js'
import type { ReplicationQueue } from './queue.js'
import type { TombstoneStore } from './tombstones.js'

export interface ReplicationWorkerOptions {
  /** The region whose queue this worker drains. */
  region: string
  /** The pools messages may target (by `targetRegion`): every pool, this region's included (self-stamp repairs). */
  peers: Peer[]
  /** That queue: failed messages get their visibility changed here. */
  queue: ReplicationQueue
  tombstones?: TombstoneStore
  /** Per Cognito call. Default 3000 ms. */
  timeoutMs?: number
  /** Delay after the n-th throttled receive: base × 2^(n−1), capped. Default 2 s, 300 s. */
  throttleBackoff?: { baseSeconds: number; maxSeconds: number }
  /** Same for transient failures (network, 5xx, time-out). Default 1 s, 60 s. */
  transientBackoff?: { baseSeconds: number; maxSeconds: number }
  /**
   * Throttled calls are first retried in place this many times, after
   * 100 ms, 200 ms, 400 ms… (with jitter): a quota refills within a second,
   * and hiding the message for seconds would leave the quota unused. Default 3.
   */
  throttleRetriesInPlace?: number
  /** Waits (tests inject a fake). */
  sleep?: (ms: number) => Promise<void>
  log?: ReplicationLog
  metrics?: MetricsSink
  now?: () => number
  random?: () => number
}

interface Outcome {
  record: SQSRecord
  failure?: FailureClass
  message?: ReplicationMessage
}

/**
 * The replication worker: an SQS batch handler (`ReportBatchItemFailures`).
 * Each message is applied to its target pool; what fails is reported in
 * `batchItemFailures` and comes back later, after a back-off set with
 * ChangeMessageVisibility from `ApproximateReceiveCount`. A message reaches
 * the DLQ only through SQS's `maxReceiveCount`; poison messages (unreadable)
 * fail on every receive so they get there too: nothing is acknowledged
 * without being applied. Messages for the same user run in order, others in parallel.
 *
 * @example
 * export const handler = createReplicationWorker({ region: 'eu-west-1', peers, queue: { client: sqs, queueUrl } })
 */
export function createReplicationWorker(options: ReplicationWorkerOptions) {
  if (!options?.region || !Array.isArray(options.peers))
    throw new TypeError('createReplicationWorker needs region and peers')
  if (!options.queue?.client || !options.queue.queueUrl) throw new TypeError('createReplicationWorker needs queue')
  const peers = new Map(options.peers.map((p) => [p.region, p]))
  const timeoutMs = options.timeoutMs ?? 3_000
  const throttle = options.throttleBackoff ?? { baseSeconds: 2, maxSeconds: 300 }
  const transient = options.transientBackoff ?? { baseSeconds: 1, maxSeconds: 60 }
  const log = options.log ?? consoleLog
  const metrics = options.metrics ?? consoleMetrics
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const inPlace = options.throttleRetriesInPlace ?? 3
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))

  async function applyWithQuota(peer: Peer, message: ReplicationMessage) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await applyChange(peer, message, {
          timeoutMs,
          tombstones: options.tombstones,
          ownCopy: message.sourceRegion === message.targetRegion,
          now,
        })
      } catch (err) {
        if (attempt >= inPlace || classifyFailure(err) !== 'throttled') throw err
        await sleep(100 * 2 ** attempt * (1 + random()))
      }
    }
  }

  async function handle(record: SQSRecord): Promise<Outcome> {
    let message: ReplicationMessage
    try {
      message = parseMessage(record.body)
    } catch (err) {
      log({
        level: 'error',
        event: 'replication.poison',
        messageId: record.messageId,
        receiveCount: receiveCount(record),
        error: describeFailure(err),
        note: 'failed on purpose; SQS moves it to the DLQ after maxReceiveCount',
      })
      return { record, failure: 'poison' }
    }
    const peer = peers.get(message.targetRegion)
    try {
      if (!peer) throw new PoisonMessageError(`no peer configured for ${message.targetRegion}`)
      const result = await applyWithQuota(peer, message)
      log({
        level: 'info',
        event: 'replication.applied',
        id: message.id,
        kind: message.kind,
        username: message.username,
        target: message.targetRegion,
        outcome: result.outcome,
        ...(result.reason && { reason: result.reason }),
      })
      return { record, message }
    } catch (err) {
      const failure = classifyFailure(err)
      log({
        level: failure === 'poison' ? 'error' : 'warn',
        event: failure === 'poison' ? 'replication.poison' : 'replication.retry',
        id: message.id,
        kind: message.kind,
        username: message.username,
        target: message.targetRegion,
        failure,
        receiveCount: receiveCount(record),
        error: describeFailure(err),
      })
      return { record, failure, message }
    }
  }

  async function delay(outcome: Outcome) {
    const policy = outcome.failure === 'throttled' ? throttle : outcome.failure === 'transient' ? transient : undefined
    // Poison: visible again at once, so it uses up its receives and reaches the DLQ quickly.
    const seconds = policy ? backoffSeconds(receiveCount(outcome.record), policy, random) : 0
    try {
      await options.queue.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: options.queue.queueUrl,
          ReceiptHandle: outcome.record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      )
    } catch (err) {
      // The queue's own visibility timeout applies instead; the message is still not lost.
      log({
        level: 'warn',
        event: 'replication.backoff-failed',
        messageId: outcome.record.messageId,
        error: describeFailure(err),
      })
    }
  }

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const records = Array.isArray(event?.Records) ? event.Records : []
    const groups = new Map<string, SQSRecord[]>()
    for (const record of records) {
      const key = groupKey(record.body)
      groups.set(key, [...(groups.get(key) ?? []), record])
    }
    const outcomes: Outcome[] = []
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const record of group) outcomes.push(await handle(record))
      }),
    )
    const failed = outcomes.filter((o) => o.failure)
    await Promise.all(failed.map(delay))
    report(outcomes)
    return { batchItemFailures: failed.map((o) => ({ itemIdentifier: o.record.messageId })) }
  }

  function report(outcomes: Outcome[]) {
    const at = now()
    const byTarget = new Map<string, Outcome[]>()
    for (const o of outcomes) {
      const target = o.message?.targetRegion ?? 'unknown'
      byTarget.set(target, [...(byTarget.get(target) ?? []), o])
    }
    for (const [target, list] of byTarget) {
      const applied = list.filter((o) => !o.failure && o.message)
      const values: Metric[] = [
        { name: REPLICATION_METRIC_NAMES.applied, value: applied.length, unit: 'Count' },
        {
          name: REPLICATION_METRIC_NAMES.retries,
          value: list.filter((o) => o.failure && o.failure !== 'poison').length,
          unit: 'Count',
        },
        {
          name: REPLICATION_METRIC_NAMES.throttled,
          value: list.filter((o) => o.failure === 'throttled').length,
          unit: 'Count',
        },
        {
          name: REPLICATION_METRIC_NAMES.poison,
          value: list.filter((o) => o.failure === 'poison').length,
          unit: 'Count',
        },
      ]
      if (applied.length) {
        const lag = Math.max(...applied.map((o) => at - (o.message as ReplicationMessage).changedAt))
        values.push({ name: REPLICATION_METRIC_NAMES.lag, value: lag, unit: 'Milliseconds' })
      }
      metrics(emfLine({ dimensions: { SourceRegion: options.region, TargetRegion: target }, metrics: values, now: at }))
    }
  }
}

function receiveCount(record: SQSRecord): number {
  const n = Number(record.attributes?.ApproximateReceiveCount)
  return Number.isFinite(n) && n > 0 ? n : 1
}

/** Messages about the same user in the same target apply in order; unreadable ones stand alone. */
function groupKey(body: string): string {
  try {
    const m = JSON.parse(body) as { username?: unknown; targetRegion?: unknown }
    if (typeof m.username === 'string' && typeof m.targetRegion === 'string') {
      return `${m.targetRegion}\u0000${m.username.toLowerCase()}`
    }
  } catch {}
  return `\u0001${Math.random()}`
}
