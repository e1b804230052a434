import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs'
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { createDeferred, type Deferred } from '../deferred.js'

/** A Lambda-style SQS consumer: gets a batch, answers with the items that failed. */
export type ReplicationWorker = (
  event: SQSEvent,
  region: string,
) => Promise<SQSBatchResponse | undefined> | Promise<void>

export interface RegionQueues {
  region: string
  queueUrl: string
  queueArn: string
  dlqUrl: string
  dlqArn: string
  /** Lifecycle events that failed every try (Lambda's on-failure destination in AWS); nothing polls it. */
  lifecycleFailuresUrl: string
  /** An SQS client for this region's queues (the emulator's own SQS endpoint). */
  sqs: SQSClient
}

/**
 * A real SQS-compatible server (fauxqs) on 127.0.0.1 with a replication
 * queue, its DLQ and a lifecycle-failures queue per region. fauxqs's own `startFauxqs` binds 0.0.0.0, so
 * its app is built here and listened on loopback only.
 */
export async function startReplicationQueues(options: {
  regions: string[]
  maxReceiveCount: number
  visibilityTimeoutSeconds: number
  worker?: ReplicationWorker
  log: (line: string) => void
}) {
  // fauxqs is ESM-only; a dynamic import keeps the CJS build loadable.
  const { buildApp } = await import('fauxqs')
  const app = buildApp({ logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const endpoint = `http://127.0.0.1:${port}`
  const credentials = { accessKeyId: 'regionless', secretAccessKey: 'regionless' }

  const queues: RegionQueues[] = []
  for (const region of options.regions) {
    const sqs = new SQSClient({ endpoint, region, credentials })
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `regionless-replication-${region}-dlq` }))
    const dlqUrl = dlq.QueueUrl as string
    const dlqArn = await arnOf(sqs, dlqUrl)
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `regionless-replication-${region}`,
        Attributes: {
          VisibilityTimeout: String(options.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount }),
        },
      }),
    )
    const queueUrl = main.QueueUrl as string
    const failures = await sqs.send(new CreateQueueCommand({ QueueName: `regionless-lifecycle-failures-${region}` }))
    const lifecycleFailuresUrl = failures.QueueUrl as string
    queues.push({ region, queueUrl, queueArn: await arnOf(sqs, queueUrl), dlqUrl, dlqArn, lifecycleFailuresUrl, sqs })
  }

  const stop = new AbortController()
  // Settles at the pollers' next step (a receive came back, a batch was handled): `drained()` checks again then.
  let step = nextStep()
  function stepped() {
    const done = step
    step = nextStep()
    done.resolve()
  }
  const pollers = options.worker ? queues.map((q) => poll(q, options.worker as ReplicationWorker)) : []

  async function poll(q: RegionQueues, worker: ReplicationWorker) {
    while (!stop.signal.aborted) {
      let messages: Message[] = []
      try {
        const out = await q.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: q.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: stop.signal },
        )
        messages = out.Messages ?? []
      } catch (err) {
        if (stop.signal.aborted) return
        options.log(`[queue] ${q.region} receive failed: ${(err as Error).message}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
        continue
      }
      if (messages.length) await deliver(q, worker, messages)
      stepped()
    }
  }

  /** Invokes the worker like Lambda's SQS event source: failures stay and come back, the rest are deleted. */
  async function deliver(q: RegionQueues, worker: ReplicationWorker, messages: Message[]) {
    const event: SQSEvent = { Records: messages.map((m) => toRecord(q, m)) }
    let failed: Set<string>
    try {
      const answer = (await worker(event, q.region)) as SQSBatchResponse | undefined
      failed = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier))
      if (failed.size) options.log(`[queue] ${q.region} worker: ${failed.size} of ${messages.length} failed`)
    } catch (err) {
      options.log(`[queue] ${q.region} worker threw: ${(err as Error).message}`)
      failed = new Set(messages.map((m) => m.MessageId as string))
    }
    const done = messages.filter((m) => !failed.has(m.MessageId as string))
    if (!done.length || stop.signal.aborted) return
    await q.sqs
      .send(
        new DeleteMessageBatchCommand({
          QueueUrl: q.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      )
      .catch((err: Error) => options.log(`[queue] ${q.region} delete failed: ${err.message}`))
  }

  return {
    endpoint,
    port,
    queues,
    /**
     * Visible, in-flight and delayed messages of each region's queue, DLQ and lifecycle-failures queue,
     * and where to send to them.
     */
    async depths() {
      return Promise.all(
        queues.map(async (q) => ({
          region: q.region,
          // The queue URLs' host names do not resolve: SQS clients need this endpoint.
          sqsEndpoint: endpoint,
          queueUrl: q.queueUrl,
          dlqUrl: q.dlqUrl,
          lifecycleFailuresUrl: q.lifecycleFailuresUrl,
          queue: await depth(q.sqs, q.queueUrl),
          dlq: await depth(q.sqs, q.dlqUrl),
          lifecycleFailures: await depth(q.sqs, q.lifecycleFailuresUrl),
        })),
      )
    },
    /**
     * Resolves once every region's queue is empty: visible, in flight (received, not yet deleted)
     * and delayed messages alike; the DLQs may hold messages. Checked at once, then again after
     * each poller step (a receive that came back, a batch handled), so it waits on the worker,
     * not on a timer. Rejects when the queues close first.
     */
    async drained(): Promise<void> {
      if (!pollers.length) throw new Error('no replication worker polls the queues: they would never drain')
      for (;;) {
        const next = step.promise
        const all = await Promise.all(queues.map((q) => depth(q.sqs, q.queueUrl)))
        if (all.every((d) => d.total === 0)) return
        await next
      }
    },
    async close() {
      stop.abort()
      step.reject(new Error('the replication queues closed before they drained'))
      await Promise.allSettled(pollers)
      for (const q of queues) q.sqs.destroy()
      await app.close()
    },
  }
}

function nextStep(): Deferred<void> {
  const step = createDeferred<void>()
  // Nobody may be waiting when the queues close.
  step.promise.catch(() => {})
  return step
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  return out.Attributes?.QueueArn as string
}

async function depth(sqs: SQSClient, queueUrl: string) {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  )
  const visible = Number(out.Attributes?.ApproximateNumberOfMessages ?? 0)
  const inFlight = Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  // Sent with DelaySeconds and not receivable yet (replication delays what a sign-up queues).
  const delayed = Number(out.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
  return { visible, inFlight, delayed, total: visible + inFlight + delayed }
}

function toRecord(q: RegionQueues, m: Message): SQSRecord {
  const attrs = m.Attributes ?? {}
  return {
    messageId: m.MessageId as string,
    receiptHandle: m.ReceiptHandle as string,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'regionless-emulator',
      ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([name, v]) => [
        name,
        {
          dataType: v.DataType ?? 'String',
          ...(v.StringValue !== undefined && { stringValue: v.StringValue }),
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: q.queueArn,
    awsRegion: q.region,
  }
}

export type ReplicationQueues = Awaited<ReturnType<typeof startReplicationQueues>>
