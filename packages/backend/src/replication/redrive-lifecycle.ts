import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import type { CognitoApiCallEvent } from './cloudtrail-event.js'
import { describeFailure } from './failures.js'
import { lifecycleFailureOf } from './lifecycle-failure.js'
import type { Progress } from './run-repairs.js'

/** Runs the lifecycle handler on one event and resolves once it succeeded; rejects with its error. */
export type LifecycleInvoke = (event: CognitoApiCallEvent) => Promise<unknown>

export interface LifecycleRedriveOptions {
  client: SQSClient
  /** The lifecycle-failures queue. */
  queueUrl: string
  invoke: LifecycleInvoke
  /** Read and report, invoke nothing, delete nothing. */
  dryRun?: boolean
  /** Stop after this many messages. Default: all. */
  max?: number
  /** How long a message being replayed stays hidden (s); above the function's time-out. Default 300. */
  visibilitySeconds?: number
  progress?: Progress
}

export interface LifecycleRedriveReport {
  /** Messages in the queue when it started, visible or in flight (approximate, as SQS counts). */
  found: number
  redriven: number
  /** Dry run: readable events that a real run would replay. */
  wouldReplay: number
  /** Readable events whose replay failed again: left in the queue. */
  failed: { messageId: string; error: string }[]
  /** Messages that hold no lifecycle event: left in the queue. */
  unreadable: { messageId: string; error: string }[]
  dryRun: boolean
}

/**
 * Replays the lifecycle-failures queue: each message's original EventBridge
 * event goes to the lifecycle handler again (`invoke`), one at a time, in
 * the order SQS returns them; a message is deleted only once its replay
 * succeeded. One that fails again, or cannot be read, stays in the queue,
 * visible at once, and is reported. Replaying is safe: the handler re-reads
 * the user and stamps it no earlier than the event, so an old event cannot
 * undo a newer change. A second run finds only what failed.
 *
 * @example
 * const report = await redriveLifecycleFailures({ client: sqs, queueUrl, invoke: lambdaInvoke(lambda, 'myapp-lifecycle') })
 */
export async function redriveLifecycleFailures(options: LifecycleRedriveOptions): Promise<LifecycleRedriveReport> {
  const progress = options.progress ?? (() => {})
  const attrs = await options.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: options.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  )
  const found =
    Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  const report: LifecycleRedriveReport = {
    found,
    redriven: 0,
    wouldReplay: 0,
    failed: [],
    unreadable: [],
    dryRun: options.dryRun === true,
  }
  progress(`${found} failed lifecycle events in the queue`)
  const max = options.max ?? Number.POSITIVE_INFINITY
  const handled = () => report.redriven + report.wouldReplay + report.failed.length + report.unreadable.length
  const seen = new Set<string>()
  const release = (receiptHandle: string) =>
    options.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: 0,
      }),
    )
  while (handled() < max) {
    const out = await options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max - handled()),
        WaitTimeSeconds: 0,
        // A dry run only peeks; a real run hides what it replays, longer than one invocation can take.
        VisibilityTimeout: options.dryRun ? 0 : (options.visibilitySeconds ?? 300),
      }),
    )
    const received = out.Messages ?? []
    const fresh = received.filter((m) => m.MessageId && !seen.has(m.MessageId))
    // Seen before: one left in place (it failed again, or a dry run). Visible again, and not replayed twice.
    for (const m of received) if (!fresh.includes(m) && !options.dryRun) await release(m.ReceiptHandle as string)
    if (!fresh.length) break
    for (const m of fresh) {
      const messageId = m.MessageId as string
      seen.add(messageId)
      let event: CognitoApiCallEvent
      try {
        event = lifecycleFailureOf(m.Body ?? '').event
      } catch (err) {
        report.unreadable.push({ messageId, error: describeFailure(err) })
        if (!options.dryRun) await release(m.ReceiptHandle as string)
        continue
      }
      if (options.dryRun) {
        report.wouldReplay++
        progress(`would replay ${event.detail.eventName} of ${event.detail.eventTime} (${messageId})`)
        continue
      }
      try {
        await options.invoke(event)
      } catch (err) {
        report.failed.push({ messageId, error: describeFailure(err) })
        await release(m.ReceiptHandle as string)
        continue
      }
      await options.client.send(
        new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: m.ReceiptHandle as string }),
      )
      report.redriven++
    }
    progress(
      `${report.redriven} replayed, ${report.failed.length} failed again, ${report.unreadable.length} unreadable`,
    )
  }
  return report
}
