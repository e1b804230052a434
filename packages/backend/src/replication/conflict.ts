import {
  type AttributeMap,
  attributeChanges,
  attributeRemovals,
  CHANGED_AT_ATTRIBUTE,
  canonicalAttributes,
  ENABLED_AT_ATTRIBUTE,
  hasUnstampedEdit,
  stampOf,
  versionStamp,
} from './attributes.js'

/**
 * The conflict rules, as pure decisions (see docs/replication.md):
 * - attributes: last writer wins per user on `changedAt`, compared with the
 *   target's `custom:rl_changed_at`; a copy edited since it was stamped (its
 *   digest no longer matches) beats versions of its stamp's time; other equal
 *   times fall back to comparing the attribute sets as text, so every pool
 *   picks the same winner;
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
  | { action: 'skip'; reason: 'stale' | 'tie-lost' | 'edited-here' | 'deleted-later' | 'unchanged' }
  | { action: 'confirm' }

/** What to do with `upsert(changedAt, attributes)` given the target's copy and tombstone. */
export function decideUpsert(
  stored: UserSnapshot | undefined,
  change: { changedAt: number; attributes: AttributeMap },
  tombstoneAt?: number,
  context: {
    /**
     * The change was read from this very copy (a region's message to itself, stamping its new user's copy
     * when that failed at sign-up): any difference is an edit made here since, which wins.
     */
    ownCopy?: boolean
  } = {},
): UpsertDecision {
  if (!stored) {
    if (tombstoneAt !== undefined && tombstoneAt >= change.changedAt) return { action: 'skip', reason: 'deleted-later' }
    return { action: 'create', attributes: withStamp(change.attributes, change.changedAt, change.attributes) }
  }
  // A copy whose creation stopped half-way (no permanent password yet) is finished whatever the outcome.
  const confirm = stored.status === 'FORCE_CHANGE_PASSWORD'
  const storedAt = stampOf(stored.attributes, CHANGED_AT_ATTRIBUTE)
  const mine = canonicalAttributes(change.attributes)
  const theirs = canonicalAttributes(stored.attributes)
  // An edit made to the copy after it was stamped (typically while a retry of the user's creation was on its
  // way here) will be stamped later than `storedAt` by its own lifecycle event, so it beats every version up
  // to that time; a version stamped at the same time is not a tie but older.
  const editedHere = hasUnstampedEdit(stored.attributes) || (context.ownCopy === true && !storedAt && mine !== theirs)
  const wins =
    !(context.ownCopy && editedHere) &&
    (change.changedAt > storedAt || (change.changedAt === storedAt && !editedHere && mine >= theirs))
  const removals = wins ? attributeRemovals(stored.attributes, change.attributes) : []
  const changes = wins ? attributeChanges(stored.attributes, stampedResult(stored.attributes, change, removals)) : {}
  if (Object.keys(changes).length || removals.length) return { action: 'update', changes, removals, confirm }
  if (confirm) return { action: 'confirm' }
  if (change.changedAt < storedAt) return { action: 'skip', reason: 'stale' }
  if (wins || mine === theirs) return { action: 'skip', reason: 'unchanged' }
  return { action: 'skip', reason: editedHere ? 'edited-here' : 'tie-lost' }
}

/** `attributes` plus the version stamp of the copy that holds them. */
function withStamp(attributes: AttributeMap, changedAt: number, held: AttributeMap): AttributeMap {
  return { ...attributes, [CHANGED_AT_ATTRIBUTE]: versionStamp(changedAt, held) }
}

/**
 * What the copy should hold once the change is written, stamp included. The
 * digest covers the whole resulting copy, which may keep attributes the
 * change lacks (a verified email the source has not confirmed a successor to).
 */
function stampedResult(
  current: AttributeMap,
  change: { changedAt: number; attributes: AttributeMap },
  removals: string[],
) {
  const held: AttributeMap = { ...current, ...change.attributes }
  for (const name of removals) delete held[name]
  return withStamp(change.attributes, change.changedAt, held)
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

/**
 * The version of a user's attributes: its stamp, or its last modification for
 * users that predate replication. A copy edited since it was stamped is one
 * millisecond newer than its stamp, as its own lifecycle event will make it.
 */
export function attributeVersion(user: UserSnapshot): number {
  const stamp = stampOf(user.attributes, CHANGED_AT_ATTRIBUTE)
  if (!stamp) return Math.max(1, Math.floor(user.lastModified ?? 1))
  return hasUnstampedEdit(user.attributes) ? stamp + 1 : stamp
}

/** Orders two copies of a user by the attribute rule: the greater one wins. */
export function compareAttributeVersions(a: UserSnapshot, b: UserSnapshot): number {
  const byTime = attributeVersion(a) - attributeVersion(b)
  if (byTime !== 0) return byTime
  const ca = canonicalAttributes(a.attributes)
  const cb = canonicalAttributes(b.attributes)
  return ca === cb ? 0 : ca > cb ? 1 : -1
}
