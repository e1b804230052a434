import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import type { PostConfirmationTriggerEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import type { BackendModule } from '../backend-module.js'
import type { ReplicationSettings } from '../config/emulator-config.js'
import { type ApiCall, cloudTrailEvent, LIFECYCLE_OPERATIONS } from './cloudtrail.js'
import type { RegionQueues } from './queues.js'

/** The access key replication's clients sign with; the lifecycle handler ignores calls made with it. */
export const REPLICATION_ACCESS_KEY = 'regionless-replication'

interface RegionEndpoint {
  region: string
  userPoolId: string
  endpoint: string
}

/**
 * Runs the real `@regionless/backend` replication handlers in the emulator:
 * Post confirmation → replicate, the SQS worker (called by the queue
 * poller), and the lifecycle handler fed with the CloudTrail events each
 * region emits for user-directory calls (delivered asynchronously and
 * retried, like EventBridge). Tombstones live in one memory store shared by
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

  /** EventBridge-like delivery: after the call returns, retried with back-off until it succeeds (or close). */
  function deliver(region: string, call: ApiCall) {
    const handlers = perRegion.get(region)
    if (!handlers || !LIFECYCLE_OPERATIONS.has(call.operation)) return
    const event = cloudTrailEvent(region, call)
    const previous = chains.get(region) ?? Promise.resolve()
    const run = (async () => {
      await previous
      await sleep(settings.lifecycleDelayMs)
      for (let attempt = 1; !closed; attempt++) {
        try {
          await handlers.lifecycle(event as Parameters<typeof handlers.lifecycle>[0])
          return
        } catch (err) {
          log(
            `[replication] lifecycle ${region} ${call.operation} attempt ${attempt} failed: ${(err as Error).message}`,
          )
          await sleep(Math.min(2_000, 100 * 2 ** attempt))
        }
      }
    })()
    chains.set(region, run)
    pending.add(run)
    void run.finally(() => pending.delete(run))
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export type ReplicationWiring = ReturnType<typeof createReplicationWiring>
