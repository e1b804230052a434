import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import type { PasskeyStore } from '../passkeys/passkey-store.js'
import {
  attributeMap,
  CHANGED_AT_ATTRIBUTE,
  changeAttributes,
  ENABLED_AT_ATTRIBUTE,
  stampOf,
  versionStamp,
} from './attributes.js'
import {
  type CognitoApiCallEvent,
  eventTimeMs,
  HIDDEN,
  isOwnCall,
  LIFECYCLE_EVENTS,
  type LifecycleEventName,
} from './cloudtrail-event.js'
import { errorName, sendBounded } from './failures.js'
import { consoleLog, type ReplicationLog } from './log.js'
import { createMessage, isValidUsername, type MessageKind } from './message.js'
import { enqueue, type ReplicationQueue } from './queue.js'
import type { TombstoneStore } from './tombstones.js'

/** The user agent marker replication's own Cognito clients send (`customUserAgent`), so their calls are ignored. */
export const REPLICATION_USER_AGENT = 'regionless-replication'

export interface LifecycleOptions {
  region: string
  userPoolId: string
  /** This pool's client (reads the user, stamps the change time). Give it `customUserAgent: REPLICATION_USER_AGENT`. */
  client: CognitoIdentityProviderClient
  /** Regions of the peer pools: one message each. */
  peerRegions: string[]
  queue: ReplicationQueue
  tombstones?: TombstoneStore
  /** The shared passkey store, when passkeys are on: a deleted user's passkeys are removed. */
  passkeys?: PasskeyStore
  /** Principals (role ARNs, access key ids) whose calls are replication's own. */
  ignorePrincipals?: string[]
  /** User agent marker of replication's own calls. Default {@link REPLICATION_USER_AGENT}. */
  userAgentMarker?: string
  /** Per Cognito call (a call that never answers fails instead of holding the invocation). Default 5000 ms. */
  timeoutMs?: number
  log?: ReplicationLog
  /** Milliseconds since the epoch; a stamp on the copy later than this allows is not built upon. */
  now?: () => number
}

export type LifecycleResult =
  | { handled: true; kind: MessageKind; username: string; changedAt: number; messages: number }
  | { handled: false; reason: string }

/**
 * The lifecycle handler: CloudTrail → EventBridge delivers every user
 * directory change made in this pool (attributes, email, disable/enable,
 * delete); this turns each into one message per peer on this region's
 * queue (a delete also gets one to this region, see below). The user is
 * re-read (CloudTrail hides values), the change time is stamped on this
 * pool's copy so conflicts resolve the same everywhere, and calls made by
 * replication itself are ignored, so nothing loops. Errors are thrown:
 * Lambda retries the asynchronous invocation twice, then sends the event to
 * the lifecycle-failures queue, which `redrive-lifecycle` replays (the
 * deploy app's EventInvokeConfig; EventBridge's own retries cover delivery).
 *
 * @example
 * export const handler = createLifecycleReplicator({ region, userPoolId, client, peerRegions: ['us-east-1'], queue })
 */
export function createLifecycleReplicator(options: LifecycleOptions) {
  if (!options?.region || !options.userPoolId || !options.client) {
    throw new TypeError('createLifecycleReplicator needs region, userPoolId and client')
  }
  if (!options.queue?.client || !options.queue.queueUrl) throw new TypeError('createLifecycleReplicator needs queue')
  const log = options.log ?? consoleLog
  const marker = options.userAgentMarker ?? REPLICATION_USER_AGENT
  const principals = options.ignorePrincipals ?? []
  const peers = options.peerRegions.filter((r) => r !== options.region)
  const timeoutMs = options.timeoutMs ?? 5_000
  const now = options.now ?? Date.now
  const send = <T>(command: unknown) => sendBounded<T>(options.client, command, AbortSignal.timeout(timeoutMs))

  const skip = (reason: string): LifecycleResult => {
    log({ level: 'info', event: 'lifecycle.ignored', reason })
    return { handled: false, reason }
  }

  async function readUser(username: string) {
    try {
      const out = await send<{
        Username?: string
        UserAttributes?: { Name?: string; Value?: string }[]
        Enabled?: boolean
      }>(new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: username }))
      return {
        username: out.Username ?? username,
        attributes: attributeMap(out.UserAttributes),
        enabled: out.Enabled !== false,
      }
    } catch (err) {
      if (errorName(err) === 'UserNotFoundException') return undefined
      throw err
    }
  }

  async function usernameBySub(sub: string): Promise<string | undefined> {
    if (!/^[\w-]{1,64}$/.test(sub)) return undefined
    const out = await send<{ Users?: { Username?: string }[] }>(
      new ListUsersCommand({ UserPoolId: options.userPoolId, Filter: `sub = "${sub}"`, Limit: 1 }),
    )
    return out.Users?.[0]?.Username
  }

  async function stamp(username: string, name: string, value: string) {
    await send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: options.userPoolId,
        Username: username,
        UserAttributes: [{ Name: name, Value: value }],
      }),
    )
  }

  return async (event: CognitoApiCallEvent): Promise<LifecycleResult> => {
    const detail = event?.detail
    if (detail?.eventSource !== 'cognito-idp.amazonaws.com') return skip('not a Cognito user pool call')
    if (!Object.hasOwn(LIFECYCLE_EVENTS, detail.eventName)) return skip(`not a lifecycle call: ${detail.eventName}`)
    if (detail.errorCode) return skip(`the call failed: ${detail.errorCode}`)
    const params = detail.requestParameters ?? {}
    if (params.userPoolId && params.userPoolId !== options.userPoolId) return skip('another pool')
    if (!params.userPoolId && detail.awsRegion && detail.awsRegion !== options.region) return skip('another region')
    if (isOwnCall(detail, marker, principals)) return skip('made by replication')
    const at = eventTimeMs(detail.eventTime)
    if (at === undefined) return skip('no event time')

    const given = typeof params.username === 'string' && params.username !== HIDDEN ? params.username : undefined
    const sub = typeof detail.additionalEventData?.sub === 'string' ? detail.additionalEventData.sub : undefined
    const meaning = LIFECYCLE_EVENTS[detail.eventName as LifecycleEventName]

    if (meaning === 'delete') {
      // The user is gone: only the request can name it (DeleteUser by access token cannot; see docs).
      if (!given || !isValidUsername(given)) {
        log({ level: 'error', event: 'lifecycle.unresolved', call: detail.eventName, note: 'run reconcile' })
        return { handled: false, reason: 'deleted user cannot be identified' }
      }
      await options.tombstones?.put(given, at)
      // This pool too. Until the tombstone above existed, a queued upsert for the user (a retried creation
      // whose first attempt half-succeeded) could re-create it here right after the call deleted it; the
      // peers would then apply the delete and this pool keep the user for good. The message to this pool
      // deletes such a copy (its version is older than the delete); later ones are stopped by the tombstone.
      const queued = await fanOut('delete', given, at, undefined, [...peers, options.region])
      // After the fan-out, so a failure here (thrown: Lambda retries, then the lifecycle-failures queue)
      // repeats only steps that are safe to repeat: the tombstone keeps its time, deletes are idempotent.
      if (options.passkeys) {
        await options.passkeys.removeAll(given)
        log({ level: 'info', event: 'lifecycle.passkeys-removed', username: given })
      }
      return queued
    }

    const login = given ?? (sub ? await usernameBySub(sub) : undefined)
    const user = login ? await readUser(login) : undefined
    if (!user) {
      // Deleted since the call: its own delete event replicates that.
      return skip(login ? 'user no longer exists' : 'user cannot be identified')
    }
    if (meaning === 'attributes') {
      const changedAt = Math.max(at, stampOf(user.attributes, CHANGED_AT_ATTRIBUTE, now()) + 1)
      // The digest is of the copy as read: an edit made after this read shows as unstamped, and gets its own event.
      await stamp(user.username, CHANGED_AT_ATTRIBUTE, versionStamp(changedAt, user.attributes))
      return fanOut('upsert', user.username, changedAt, changeAttributes(user.attributes))
    }
    const changedAt = Math.max(at, stampOf(user.attributes, ENABLED_AT_ATTRIBUTE, now()) + 1)
    await stamp(user.username, ENABLED_AT_ATTRIBUTE, String(changedAt))
    // The state now, not the call's: of two quick calls, both then carry the final state.
    return fanOut(user.enabled ? 'enable' : 'disable', user.username, changedAt)
  }

  async function fanOut(
    kind: MessageKind,
    username: string,
    changedAt: number,
    attributes?: Record<string, string>,
    targets: string[] = peers,
  ): Promise<LifecycleResult> {
    const messages = targets.map((targetRegion) =>
      createMessage({
        kind,
        username,
        sourceRegion: options.region,
        targetRegion,
        changedAt,
        ...(attributes && { attributes }),
      }),
    )
    await enqueue(options.queue, messages)
    log({ level: 'info', event: 'lifecycle.queued', kind, username, messages: messages.length })
    return { handled: true, kind, username, changedAt, messages: messages.length }
  }
}
