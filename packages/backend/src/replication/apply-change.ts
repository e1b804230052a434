import { randomBytes } from 'node:crypto'
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import { type AttributeMap, attributeList, attributeMap, ENABLED_AT_ATTRIBUTE, isPlausibleStamp } from './attributes.js'
import { decideDelete, decideState, decideUpsert, type UserSnapshot } from './conflict.js'
import { errorName, sendBounded } from './failures.js'
import type { MessageKind } from './message.js'
import type { TombstoneStore } from './tombstones.js'

/** A peer pool: where replication writes. The client should have `maxAttempts: 1`, time-outs are per call here. */
export interface Peer {
  region: string
  userPoolId: string
  client: CognitoIdentityProviderClient
}

/** One change to make in one pool (a queue message without its envelope). */
export interface Change {
  kind: MessageKind
  username: string
  attributes?: AttributeMap
  changedAt: number
}

export type ApplyOutcome = 'created' | 'updated' | 'confirmed' | 'disabled' | 'enabled' | 'deleted' | 'skipped'

export interface ApplyResult {
  outcome: ApplyOutcome
  /** Why nothing was written (`stale`, `deleted-later`, `gone`…). */
  reason?: string
}

export interface ApplyOptions {
  /** Per SDK call. */
  timeoutMs: number
  tombstones?: TombstoneStore | undefined
  /** Try AdminCreateUser before reading (a new sign-up: one call instead of two). */
  createFirst?: boolean
  /** Aborts every call of this change (an overall budget on top of the per-call time-out). */
  signal?: AbortSignal
  /**
   * The change was read from the target pool's own copy (a region's message to itself, stamping a new
   * user's copy when that failed at sign-up): a difference means the copy was edited since, and it stays.
   */
  ownCopy?: boolean
  /** Milliseconds since the epoch (default `Date.now`): no change or stamp later than this allows wins. */
  now?: () => number
}

/** The target user is not there yet (its creation is still queued): retry later. */
export class ReplicationPendingError extends Error {
  override readonly name = 'ReplicationPendingError'
}

/** A password nobody knows: sign-in is passwordless; it only moves the copy to CONFIRMED. */
export function randomPassword(): string {
  return `${randomBytes(24).toString('base64url')}Aa1!`
}

const clock = (options: ApplyOptions) => (options.now ?? Date.now)()

const call = <T>(peer: Peer, command: unknown, options: ApplyOptions) => {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  return sendBounded<T>(peer.client, command, options.signal ? AbortSignal.any([timeout, options.signal]) : timeout)
}

async function readUser(peer: Peer, username: string, options: ApplyOptions): Promise<UserSnapshot | undefined> {
  try {
    const out = await call<{
      Username?: string
      UserAttributes?: { Name?: string; Value?: string }[]
      Enabled?: boolean
      UserStatus?: string
      UserLastModifiedDate?: Date
    }>(peer, new AdminGetUserCommand({ UserPoolId: peer.userPoolId, Username: username }), options)
    return {
      username: out.Username ?? username,
      attributes: attributeMap(out.UserAttributes),
      enabled: out.Enabled !== false,
      ...(out.UserStatus && { status: out.UserStatus }),
      ...(out.UserLastModifiedDate && { lastModified: out.UserLastModifiedDate.getTime() }),
    }
  } catch (err) {
    if (errorName(err) === 'UserNotFoundException') return undefined
    throw err
  }
}

async function setPermanentPassword(peer: Peer, username: string, options: ApplyOptions) {
  await call(
    peer,
    new AdminSetUserPasswordCommand({
      UserPoolId: peer.userPoolId,
      Username: username,
      Password: randomPassword(),
      Permanent: true,
    }),
    options,
  )
}

async function create(peer: Peer, username: string, attributes: AttributeMap, options: ApplyOptions): Promise<boolean> {
  try {
    // SUPPRESS: no invitation email, and AdminCreateUser fires no Post confirmation, so replication cannot loop.
    await call(
      peer,
      new AdminCreateUserCommand({
        UserPoolId: peer.userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: attributeList(attributes),
      }),
      options,
    )
  } catch (err) {
    if (errorName(err) === 'UsernameExistsException') return false
    throw err
  }
  await setPermanentPassword(peer, username, options)
  return true
}

async function upsert(peer: Peer, change: Change, options: ApplyOptions): Promise<ApplyResult> {
  const attributes = change.attributes ?? {}
  const tombstoneAt = () => options.tombstones?.get(change.username)
  if (options.createFirst) {
    const decision = decideUpsert(undefined, { changedAt: change.changedAt, attributes }, await tombstoneAt(), {
      now: clock(options),
    })
    if (decision.action !== 'create') return { outcome: 'skipped', reason: (decision as { reason?: string }).reason }
    if (await create(peer, change.username, decision.attributes, options)) return { outcome: 'created' }
  }
  // Read, decide, write. The same user signing up in two regions meets UsernameExistsException here: one identity.
  for (let attempt = 0; attempt < 2; attempt++) {
    const stored = await readUser(peer, change.username, options)
    const decision = decideUpsert(
      stored,
      { changedAt: change.changedAt, attributes },
      stored ? undefined : await tombstoneAt(),
      { ownCopy: options.ownCopy === true, now: clock(options) },
    )
    switch (decision.action) {
      case 'create':
        if (await create(peer, change.username, decision.attributes, options)) return { outcome: 'created' }
        continue // created meanwhile by someone else: read again and compare
      case 'update':
        if (decision.removals.length) {
          await call(
            peer,
            new AdminDeleteUserAttributesCommand({
              UserPoolId: peer.userPoolId,
              Username: change.username,
              UserAttributeNames: decision.removals,
            }),
            options,
          )
        }
        // The stamp is written last (it is in `changes`): a half-applied change is applied again.
        if (Object.keys(decision.changes).length) {
          await call(
            peer,
            new AdminUpdateUserAttributesCommand({
              UserPoolId: peer.userPoolId,
              Username: change.username,
              UserAttributes: attributeList(decision.changes),
            }),
            options,
          )
        }
        if (decision.confirm) await setPermanentPassword(peer, change.username, options)
        return { outcome: 'updated' }
      case 'confirm':
        await setPermanentPassword(peer, change.username, options)
        return { outcome: 'confirmed' }
      case 'skip':
        return { outcome: 'skipped', reason: decision.reason }
    }
  }
  throw new ReplicationPendingError('the user was created and removed while replicating; retrying')
}

async function setState(peer: Peer, change: Change, options: ApplyOptions): Promise<ApplyResult> {
  const enabled = change.kind === 'enable'
  const stored = await readUser(peer, change.username, options)
  const decision = decideState(stored, { enabled, changedAt: change.changedAt }, clock(options))
  if (decision.action === 'skip') {
    if (decision.reason !== 'missing') return { outcome: 'skipped', reason: decision.reason }
    if ((await options.tombstones?.get(change.username)) !== undefined) return { outcome: 'skipped', reason: 'gone' }
    throw new ReplicationPendingError(`${change.username} does not exist in ${peer.region} yet`)
  }
  if (decision.enabled !== stored?.enabled) {
    const input = { UserPoolId: peer.userPoolId, Username: change.username }
    await call(peer, decision.enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input), options)
  }
  if (decision.stamp) {
    await call(
      peer,
      new AdminUpdateUserAttributesCommand({
        UserPoolId: peer.userPoolId,
        Username: change.username,
        UserAttributes: [{ Name: ENABLED_AT_ATTRIBUTE, Value: String(change.changedAt) }],
      }),
      options,
    )
  }
  return { outcome: decision.enabled ? 'enabled' : 'disabled' }
}

async function remove(peer: Peer, change: Change, options: ApplyOptions): Promise<ApplyResult> {
  // Refused before the tombstone: a future one would keep the user from ever being created again.
  if (!isPlausibleStamp(change.changedAt, clock(options))) return { outcome: 'skipped', reason: 'future' }
  await options.tombstones?.put(change.username, change.changedAt)
  const stored = await readUser(peer, change.username, options)
  const decision = decideDelete(stored, change, clock(options))
  if (decision.action === 'skip') return { outcome: 'skipped', reason: decision.reason }
  try {
    await call(peer, new AdminDeleteUserCommand({ UserPoolId: peer.userPoolId, Username: change.username }), options)
  } catch (err) {
    if (errorName(err) !== 'UserNotFoundException') throw err
  }
  return { outcome: 'deleted' }
}

/**
 * Applies one change to one pool, idempotently: applying it twice, or after
 * a newer change, leaves the pool as applying it once in order would.
 * Conflicts follow the rules in conflict.ts. Errors are thrown for the caller
 * to classify (failures.ts).
 *
 * @example
 * await applyChange(peer, { kind: 'upsert', username, attributes: { email, email_verified: 'true' }, changedAt }, { timeoutMs: 3000 })
 */
export async function applyChange(peer: Peer, change: Change, options: ApplyOptions): Promise<ApplyResult> {
  switch (change.kind) {
    case 'upsert':
      return upsert(peer, change, options)
    case 'disable':
    case 'enable':
      return setState(peer, change, options)
    case 'delete':
      return remove(peer, change, options)
  }
}
