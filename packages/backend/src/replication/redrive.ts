import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import { parseMessage } from './message.js'
import type { Progress } from './run-repairs.js'

export interface RedriveOptions {
  client: SQSClient
  /** The DLQ to empty. */
  dlqUrl: string
  /** The replication queue to move messages back to. */
  queueUrl: string
  dryRun?: boolean
  /** Stop after this many messages. Default: all. */
  max?: number
  /** Leave poison messages (unreadable by this version) in the DLQ. Default false: move everything. */
  skipPoison?: boolean
  progress?: Progress
}

export interface RedriveReport {
  /** Messages in the DLQ when it started, visible or in flight (approximate, as SQS counts). */
  found: number
  moved: number
  poison: number
  left: number
  dryRun: boolean
}

/**
 * Moves DLQ messages back to the replication queue after a fix: each is sent
 * to the queue first and deleted from the DLQ after, so a crash in between
 * duplicates a message (harmless: applying is idempotent) and never loses
 * one. A second run finds an empty DLQ. (SQS's StartMessageMoveTask does the
 * same server-side in AWS; this works on any SQS, the emulator's included.)
 *
 * @example
 * const report = await redriveDeadLetters({ client: sqs, dlqUrl, queueUrl, progress: console.log })
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveReport> {
  const progress = options.progress ?? (() => {})
  const attrs = await options.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: options.dlqUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  )
  // In flight too: a message someone is inspecting is still in the DLQ.
  const found =
    Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  const report: RedriveReport = { found, moved: 0, poison: 0, left: 0, dryRun: options.dryRun === true }
  progress(`${found} messages in the DLQ`)
  const max = options.max ?? Number.POSITIVE_INFINITY
  const seen = new Set<string>()
  const release = (receiptHandle: string) =>
    options.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: options.dlqUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: 0,
      }),
    )
  while (report.moved + report.left < max) {
    const out = await options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - report.moved - report.left),
        WaitTimeSeconds: 0,
        // A dry run only peeks; a real run hides what it is moving for a minute.
        VisibilityTimeout: options.dryRun ? 0 : 60,
        MessageAttributeNames: ['All'],
      }),
    )
    const received = out.Messages ?? []
    const messages = received.filter((m) => m.MessageId && !seen.has(m.MessageId))
    // A message seen before is one left in place (poison kept, or a dry run): release it again and stop.
    for (const m of received) if (!messages.includes(m) && !options.dryRun) await release(m.ReceiptHandle as string)
    if (!messages.length) break
    const movable = []
    for (const m of messages) {
      seen.add(m.MessageId as string)
      let poison = false
      try {
        parseMessage(m.Body ?? '')
      } catch {
        poison = true
        report.poison++
      }
      if (options.dryRun) report.left++
      else if (poison && options.skipPoison) {
        report.left++
        // Left where it is, and visible again at once (not hidden for the minute a move would take).
        await release(m.ReceiptHandle as string)
      } else movable.push(m)
    }
    if (!movable.length) continue
    const sent = await options.client.send(
      new SendMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: movable.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && { MessageAttributes: m.MessageAttributes }),
        })),
      }),
    )
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id))
    const toDelete = movable.map((m, i) => ({ m, i })).filter(({ i }) => ok.has(String(i)))
    if (toDelete.length) {
      await options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.dlqUrl,
          Entries: toDelete.map(({ m, i }) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      )
    }
    report.moved += toDelete.length
    report.left += movable.length - toDelete.length
    progress(`${report.moved} moved`)
  }
  return report
}
