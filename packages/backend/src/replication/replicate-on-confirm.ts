import {
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import type { PostConfirmationTriggerEvent } from 'aws-lambda'
import { applyChange, type Peer } from './apply-change.js'
import { CHANGED_AT_ATTRIBUTE, changeAttributes, versionStamp } from './attributes.js'
import { classifyFailure, describeFailure, sendBounded } from './failures.js'
import { consoleLog, type ReplicationLog } from './log.js'
import { createMessage, isValidUsername } from './message.js'
import { consoleMetrics, emfLine, type MetricsSink, REPLICATION_METRIC_NAMES } from './metrics.js'
import { createPeerRest, PEER_REST_MS } from './peer-rest.js'
import { enqueue, type ReplicationQueue } from './queue.js'
import type { TombstoneStore } from './tombstones.js'

/**
 * What a sign-up queues is not received before this: by then any other
 * region's Post confirmation for the same user at the same moment (the same
 * person signing up twice) has finished stamping its own copy. That stamp is
 * written without reading the copy first (a second call in the sign-up
 * path, and Cognito has no conditional write anyway), so it can land over
 * a newer version this sign-up has just written there; the queued copy of
 * the version, compared after it, puts the newer one back.
 */
export const SIGN_UP_SETTLE_SECONDS = 5

export interface ReplicateOnConfirmOptions {
  /** This pool's region and id. */
  region: string
  userPoolId: string
  /** This pool's client: stamps the new user's `custom:rl_changed_at` (optional but needed for conflict rules). */
  client?: CognitoIdentityProviderClient
  /** Every other pool. */
  peers: Peer[]
  /** This region's replication queue: where work for an unreachable peer goes. */
  queue: ReplicationQueue
  /** Per call to a peer. Default 800 ms: a sign-up (and the person who clicked) waits for this trigger. */
  timeoutMs?: number
  /**
   * Time for the direct attempts as a whole (Cognito gives a trigger 5 s);
   * what is not done by then is queued. Default 2500 ms.
   */
  directBudgetMs?: number
  tombstones?: TombstoneStore
  log?: ReplicationLog
  metrics?: MetricsSink
  now?: () => number
}

/**
 * The Post confirmation trigger: creates the new user in every peer pool at
 * once (AdminCreateUser SUPPRESS + AdminSetUserPassword Permanent, never
 * AdminConfirmSignUp), each peer bounded by a short time-out. A peer that
 * fails or is too slow gets a message on this region's queue instead, and
 * the worker finishes the job; for the next 30 s that peer's copies are
 * queued at once (no sign-up waits on a dead region twice). It always returns the event: a peer being
 * down never fails a sign-up.
 *
 * @example
 * const postConfirmation = createReplicateOnConfirm({
 *   region: 'eu-west-1', userPoolId, client: euCognito,
 *   peers: [{ region: 'us-east-1', userPoolId: usPoolId, client: usCognito }],
 *   queue: { client: sqs, queueUrl },
 * })
 */
export function createReplicateOnConfirm(options: ReplicateOnConfirmOptions) {
  if (!options?.region || !options.userPoolId)
    throw new TypeError('createReplicateOnConfirm needs region and userPoolId')
  if (!Array.isArray(options.peers)) throw new TypeError('createReplicateOnConfirm needs peers')
  if (!options.queue?.client || !options.queue.queueUrl) throw new TypeError('createReplicateOnConfirm needs queue')
  const timeoutMs = options.timeoutMs ?? 800
  const budgetMs = options.directBudgetMs ?? 2_500
  const log = options.log ?? consoleLog
  const metrics = options.metrics ?? consoleMetrics
  const now = options.now ?? Date.now
  const peers = options.peers.filter((p) => p.region !== options.region)
  const rest = createPeerRest(PEER_REST_MS, now)

  return async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
    if (event?.triggerSource !== 'PostConfirmation_ConfirmSignUp' || !isValidUsername(event.userName)) return event
    const username = event.userName
    const changedAt = now()
    const attributes = changeAttributes(event.request?.userAttributes ?? {})
    const signal = AbortSignal.timeout(budgetMs)
    try {
      const failed: string[] = []
      const recheck: string[] = []
      await Promise.all([
        stampSource(username, versionStamp(changedAt, attributes), signal, failed),
        ...peers.map(async (peer) => {
          const change = { kind: 'upsert' as const, username, attributes, changedAt }
          if (rest.resting(peer.region)) {
            failed.push(peer.region)
            log({ level: 'info', event: 'replication.deferred', username, target: peer.region, error: 'peer resting' })
            return
          }
          try {
            const result = await applyChange(peer, change, {
              timeoutMs,
              tombstones: options.tombstones,
              createFirst: true,
              signal,
              now,
            })
            metrics(
              emfLine({
                dimensions: { SourceRegion: options.region, TargetRegion: peer.region },
                metrics: [{ name: REPLICATION_METRIC_NAMES.lag, value: now() - changedAt, unit: 'Milliseconds' }],
                now: now(),
              }),
            )
            log({ level: 'info', event: 'replication.direct', username, target: peer.region, outcome: result.outcome })
            rest.answered(peer.region)
            // The peer already had the user and took this version: its own sign-up may still stamp over it.
            if (result.outcome === 'updated') recheck.push(peer.region)
          } catch (err) {
            failed.push(peer.region)
            if (classifyFailure(err) !== 'poison') rest.failed(peer.region)
            log({
              level: 'warn',
              event: 'replication.deferred',
              username,
              target: peer.region,
              error: describeFailure(err),
            })
          }
        }),
      ])
      if (failed.length || recheck.length) await defer(username, attributes, changedAt, failed, recheck)
    } catch (err) {
      // Never fail the sign-up: the reconcile job repairs what could not even be queued.
      log({ level: 'error', event: 'replication.lost', username, error: describeFailure(err) })
    }
    return event
  }

  async function stampSource(username: string, stamp: string, signal: AbortSignal, failed: string[]) {
    if (!options.client) return
    try {
      await sendBounded(
        options.client,
        new AdminUpdateUserAttributesCommand({
          UserPoolId: options.userPoolId,
          Username: username,
          UserAttributes: [{ Name: CHANGED_AT_ATTRIBUTE, Value: stamp }],
        }),
        AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]),
      )
    } catch (err) {
      // The worker stamps it later: a message to this region itself (its worker has this pool as a peer).
      failed.push(options.region)
      log({ level: 'warn', event: 'replication.stamp-failed', username, error: describeFailure(err) })
    }
  }

  async function defer(
    username: string,
    attributes: Record<string, string>,
    changedAt: number,
    failed: string[],
    recheck: string[],
  ) {
    const messages = [...failed, ...recheck].map((targetRegion) =>
      createMessage({ kind: 'upsert', username, attributes, sourceRegion: options.region, targetRegion, changedAt }),
    )
    await enqueue(options.queue, messages, 2_000, SIGN_UP_SETTLE_SECONDS)
    if (!failed.length) return
    metrics(
      emfLine({
        dimensions: { SourceRegion: options.region },
        metrics: [{ name: REPLICATION_METRIC_NAMES.deferred, value: failed.length, unit: 'Count' }],
        now: now(),
      }),
    )
  }
}
