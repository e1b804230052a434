import { SendMessageBatchCommand, type SendMessageBatchCommandOutput, type SQSClient } from '@aws-sdk/client-sqs'
import { sendBounded } from './failures.js'
import type { ReplicationMessage } from './message.js'

/** The source region's replication queue (its redrive policy points at the DLQ). */
export interface ReplicationQueue {
  client: SQSClient
  queueUrl: string
}

/**
 * Sends messages to the queue, ten per batch. Throws if any entry fails, so
 * the caller knows nothing was silently lost (entries that did go through
 * are harmless to send again: applying is idempotent). `delaySeconds`
 * (0–900) keeps them from being received before then.
 */
export async function enqueue(
  queue: ReplicationQueue,
  messages: ReplicationMessage[],
  timeoutMs = 5_000,
  delaySeconds = 0,
) {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10)
    const out = await sendBounded<SendMessageBatchCommandOutput>(
      queue.client,
      new SendMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: batch.map((m, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify(m),
          ...(delaySeconds > 0 && { DelaySeconds: delaySeconds }),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: m.kind },
            targetRegion: { DataType: 'String', StringValue: m.targetRegion },
          },
        })),
      }),
      AbortSignal.timeout(timeoutMs),
    )
    if (out.Failed?.length) {
      const first = out.Failed[0]
      throw new Error(`SendMessageBatch: ${out.Failed.length} entries failed (${first?.Code}: ${first?.Message})`)
    }
  }
}
