import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import type { PostConfirmationTriggerEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import type { BackendModule } from '../backend-module.js'
import type { ReplicationSettings } from '../config/emulator-config.js'
import { type ApiCall, cloudTrailEvent, LIFECYCLE_OPERATIONS } from './cloudtrail.js'
import type { RegionQueues } from './queues.js'

/** The access key replication's clients sign with; the lifecycle handler ignores calls made with it. */
export const REPLICATION_ACCESS_KEY = 'regionless-replication'

/** Lambda's asynchronous invocation: the first try and two retries, then the on-failure destination. */
export const LIFECYCLE_TRIES = 3
/** Back-off before each retry, times the retry's number (Lambda waits a minute, then two; tests cannot). */
const LIFECYCLE_RETRY_MS = 100

interface RegionEndpoint {
  region: string
  userPoolId: string
  endpoint: string
}

/**
 * Runs the real `@regionless/backend` replication handlers in the emulator:
 * Post confirmation → replicate, the SQS worker (called by the queue
 * poller), and the lifecycle handler fed with the CloudTrail events each
 * region emits for user-directory calls (delivered asynchronously like
 * EventBridge → Lambda: tried three times, then sent, in Lambda's
 * destination record, to the region's lifecycle-failures queue). Tombstones live in one memory store shared by
 * the regions (a global table in AWS).
 */
export function createReplicationWiring(options: {
  backend: BackendModule
  regions: RegionEndpoint[]
  queues: RegionQueues[]
  settings: Required<ReplicationSettings>
  log: (line: string) => void
  /** The emulator's clock: the one its CloudTrail events and stamps are dated with. */
  now: () => number
}) {
  const { backend, settings, log } = options
  const tombstones = backend.createMemoryTombstoneStore()
  const clients = new Map<string, CognitoIdentityProviderClient>()
  const clientFor = (r: RegionEndpoint) => {
    let client = clients.get(r.region)
    if (!client) {
      client = new CognitoIdentityProviderClient({
        region: r.region,
        endpoint: r.endpoint,
        credentials: { accessKeyId: REPLICATION_ACCESS_KEY, secretAccessKey: 'regionless-replication' },
        customUserAgent: backend.REPLICATION_USER_AGENT,
        // Retries belong to the queue, with back-off; time-outs are per call in the handlers.
        maxAttempts: 1,
      })
      clients.set(r.region, client)
    }
    return client
  }
  const peer = (r: RegionEndpoint) => ({ region: r.region, userPoolId: r.userPoolId, client: clientFor(r) })
  const replicationLog = (entry: { level: string; event: string; [k: string]: unknown }) => {
    const { level, event, ...rest } = entry
    if (event === 'replication.applied' || event === 'lifecycle.ignored') return
    log(
      `[replication] ${event} ${Object.entries(rest)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ')}`.trim(),
    )
    void level
  }
  const noMetrics = () => {}

  const perRegion = new Map(
    options.regions.map((self) => {
      const q = options.queues.find((x) => x.region === self.region)
      if (!q) throw new Error(`no replication queue for ${self.region}`)
      const queue = { client: q.sqs, queueUrl: q.queueUrl }
      const others = options.regions.filter((r) => r.region !== self.region)
      const common = {
        region: self.region,
        userPoolId: self.userPoolId,
        tombstones,
        log: replicationLog,
        metrics: noMetrics,
        now: options.now,
      }
      const postConfirmation = backend.createReplicateOnConfirm({
        ...common,
        client: clientFor(self),
        peers: others.map(peer),
        queue,
        timeoutMs: settings.directTimeoutMs,
        directBudgetMs: settings.directBudgetMs,
      })
      const worker = backend.createReplicationWorker({
        ...common,
        // This pool too: a source copy whose stamp could not be written is stamped through the queue.
        peers: options.regions.map(peer),
        queue,
        timeoutMs: settings.workerTimeoutMs,
        throttleBackoff: settings.throttleBackoff,
        transientBackoff: settings.transientBackoff,
      })
      const lifecycle = backend.createLifecycleReplicator({
        region: self.region,
        userPoolId: self.userPoolId,
        client: clientFor(self),
        peerRegions: others.map((r) => r.region),
        queue,
        tombstones,
        ignorePrincipals: [REPLICATION_ACCESS_KEY],
        timeoutMs: settings.workerTimeoutMs,
        log: replicationLog,
        now: options.now,
      })
      return [self.region, { postConfirmation, worker, lifecycle }] as const
    }),
  )
  let closed = false
  const pending = new Set<Promise<void>>()
  // One region's events are handled one at a time, in call order (the deploy app gives the lifecycle
  // function a reserved concurrency of 1 for the same reason): a later change then always reads the
  // stamp of the earlier one.
  const chains = new Map<string, Promise<void>>()

  /**
   * EventBridge → Lambda delivery, after the call returns: the first try and two retries with a short
   * back-off; an event that failed all three lands in the region's lifecycle-failures queue.
   */
  function deliver(region: string, call: ApiCall) {
    const handlers = perRegion.get(region)
    if (!handlers || !LIFECYCLE_OPERATIONS.has(call.operation)) return
    const event = cloudTrailEvent(region, call) as LifecycleEvent
    const previous = chains.get(region) ?? Promise.resolve()
    const run = (async () => {
      await previous
      await sleep(settings.lifecycleDelayMs)
      let error: Error | undefined
      for (let attempt = 1; attempt <= LIFECYCLE_TRIES && !closed; attempt++) {
        try {
          await handlers.lifecycle(event)
          return
        } catch (err) {
          error = err as Error
          log(`[replication] lifecycle ${region} ${call.operation} attempt ${attempt} failed: ${error.message}`)
          if (attempt < LIFECYCLE_TRIES) await sleep(LIFECYCLE_RETRY_MS * attempt)
        }
      }
      if (error && !closed) await keepFailure(region, event, error)
    })()
    chains.set(region, run)
    pending.add(run)
    void run.finally(() => pending.delete(run))
  }

  /** What Lambda's on-failure destination does: the event, in a destination record, on the failures queue. */
  async function keepFailure(region: string, event: LifecycleEvent, error: Error) {
    const q = options.queues.find((x) => x.region === region)
    const record = backend.destinationRecord({
      event,
      functionArn: `arn:aws:lambda:${region}:000000000000:function:regionless-lifecycle`,
      attempts: LIFECYCLE_TRIES,
      error,
      now: options.now(),
    })
    try {
      if (!q) throw new Error(`no lifecycle-failures queue for ${region}`)
      await q.sqs.send(
        new SendMessageCommand({ QueueUrl: q.lifecycleFailuresUrl, MessageBody: JSON.stringify(record) }),
      )
      log(
        `[replication] lifecycle ${region} ${event.detail.eventName} failed ${LIFECYCLE_TRIES} times: kept for redrive`,
      )
    } catch (err) {
      log(`[replication] lifecycle ${region} ${event.detail.eventName} lost: ${(err as Error).message}`)
    }
  }

  return {
    tombstones,
    postConfirmation(
      region: string,
    ): ((event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent>) | undefined {
      return perRegion.get(region)?.postConfirmation
    },
    async worker(event: SQSEvent, region: string): Promise<SQSBatchResponse> {
      const handlers = perRegion.get(region)
      if (!handlers) return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }
      return handlers.worker(event)
    },
    onApiCall: deliver,
    /**
     * One synchronous run of a region's lifecycle handler (a RequestResponse invoke): what redrive
     * replays a kept event through. Rejects with the handler's error; a TypeError for an unknown region.
     */
    async invokeLifecycle(region: string, event: unknown) {
      const handlers = perRegion.get(region)
      if (!handlers) throw new TypeError(`no lifecycle handler in ${JSON.stringify(region)}`)
      return handlers.lifecycle(event as LifecycleEvent)
    },
    /** Lifecycle deliveries still in flight (tests await them instead of sleeping). */
    async settled() {
      while (pending.size) await Promise.allSettled([...pending])
    },
    /** Whether no lifecycle delivery is in flight right now. */
    idle: () => pending.size === 0,
    close() {
      closed = true
      for (const c of clients.values()) c.destroy()
    },
  }
}

type LifecycleEvent = Parameters<ReturnType<BackendModule['createLifecycleReplicator']>>[0]

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export type ReplicationWiring = ReturnType<typeof createReplicationWiring>
