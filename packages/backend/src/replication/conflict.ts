import {
  type AttributeMap,
  attributeChanges,
  attributeRemovals,
  CHANGED_AT_ATTRIBUTE,
  canonicalAttributes,
  ENABLED_AT_ATTRIBUTE,
  stampOf,
} from './attributes.js'

/**
 * The conflict rules, as pure decisions (see docs/replication.md):
 * - attributes: last writer wins per user on `changedAt`, compared with the
 *   target's `custom:rl_changed_at`; equal times fall back to comparing the
 *   attribute sets as text, so every pool picks the same winner;
 * - enabled state: last writer wins on `custom:rl_enabled_at`; at equal times disabled wins;
 * - delete: wins over an upsert of the same or an older time (a tombstone
 *   keeps the time, so an older upsert arriving later cannot resurrect the
 *   user); an attribute change newer than the delete keeps the user.
 */

/** A user as one pool holds it. */
export interface UserSnapshot {
  username: string
  attributes: AttributeMap
  enabled: boolean
  status?: string
  /** ms; used as the version of users that predate replication (no stamp yet). */
  lastModified?: number
}

export type UpsertDecision =
  | { action: 'create'; attributes: AttributeMap }
  | { action: 'update'; changes: AttributeMap; removals: string[]; confirm: boolean }
  | { action: 'skip'; reason: 'stale' | 'tie-lost' | 'deleted-later' | 'unchanged' }
  | { action: 'confirm' }

/** What to do with `upsert(changedAt, attributes)` given the target's copy and tombstone. */
export function decideUpsert(
  stored: UserSnapshot | undefined,
  change: { changedAt: number; attributes: AttributeMap },
  tombstoneAt?: number,
): UpsertDecision {
  const stamped = { ...change.attributes, [CHANGED_AT_ATTRIBUTE]: String(change.changedAt) }
  if (!stored) {
    if (tombstoneAt !== undefined && tombstoneAt >= change.changedAt) return { action: 'skip', reason: 'deleted-later' }
    return { action: 'create', attributes: stamped }
  }
  // A copy whose creation stopped half-way (no permanent password yet) is finished whatever the outcome.
  const confirm = stored.status === 'FORCE_CHANGE_PASSWORD'
  const storedAt = stampOf(stored.attributes, CHANGED_AT_ATTRIBUTE)
  const mine = canonicalAttributes(change.attributes)
  const theirs = canonicalAttributes(stored.attributes)
  const wins = change.changedAt > storedAt || (change.changedAt === storedAt && mine > theirs)
  const changes = wins ? attributeChanges(stored.attributes, stamped) : {}
  const removals = wins ? attributeRemovals(stored.attributes, change.attributes) : []
  if (Object.keys(changes).length || removals.length) return { action: 'update', changes, removals, confirm }
  if (confirm) return { action: 'confirm' }
  if (change.changedAt < storedAt) return { action: 'skip', reason: 'stale' }
  return { action: 'skip', reason: wins || mine === theirs ? 'unchanged' : 'tie-lost' }
}

export type StateDecision =
  | { action: 'set'; enabled: boolean; stamp: boolean }
  | { action: 'skip'; reason: 'stale' | 'unchanged' | 'missing' }

/** What to do with `disable`/`enable(changedAt)` given the target's copy. */
export function decideState(
  stored: UserSnapshot | undefined,
  change: { enabled: boolean; changedAt: number },
): StateDecision {
  if (!stored) return { action: 'skip', reason: 'missing' }
  const storedAt = stampOf(stored.attributes, ENABLED_AT_ATTRIBUTE)
  if (change.changedAt < storedAt) return { action: 'skip', reason: 'stale' }
  if (change.changedAt === storedAt) {
    // Equal times: disabled wins, so both pools settle on the safer state.
    const next = stored.enabled && change.enabled
    return next === stored.enabled
      ? { action: 'skip', reason: 'unchanged' }
      : { action: 'set', enabled: next, stamp: false }
  }
  return { action: 'set', enabled: change.enabled, stamp: true }
}

export type DeleteDecision = { action: 'delete' } | { action: 'skip'; reason: 'gone' | 'changed-later' }

/** What to do with `delete(changedAt)`: only an attribute change newer than the delete keeps the user. */
export function decideDelete(stored: UserSnapshot | undefined, change: { changedAt: number }): DeleteDecision {
  if (!stored) return { action: 'skip', reason: 'gone' }
  if (stampOf(stored.attributes, CHANGED_AT_ATTRIBUTE) > change.changedAt)
    return { action: 'skip', reason: 'changed-later' }
  return { action: 'delete' }
}

/** The version of a user's attributes: its stamp, or its last modification for users that predate replication. */
export function attributeVersion(user: UserSnapshot): number {
  return stampOf(user.attributes, CHANGED_AT_ATTRIBUTE) || Math.max(1, Math.floor(user.lastModified ?? 1))
}

/** Orders two copies of a user by the attribute rule: the greater one wins. */
export function compareAttributeVersions(a: UserSnapshot, b: UserSnapshot): number {
  const byTime = attributeVersion(a) - attributeVersion(b)
  if (byTime !== 0) return byTime
  const ca = canonicalAttributes(a.attributes)
  const cb = canonicalAttributes(b.attributes)
  return ca === cb ? 0 : ca > cb ? 1 : -1
}
