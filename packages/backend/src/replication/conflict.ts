import {
  type AttributeMap,
  attributeChanges,
  attributeRemovals,
  CHANGED_AT_ATTRIBUTE,
  canonicalAttributes,
  ENABLED_AT_ATTRIBUTE,
  hasUnstampedEdit,
  isPlausibleStamp,
  replicatedAttributes,
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
 *   user); an attribute change newer than the delete keeps the user;
 * - a stamp later than the deciding clock (`now`, ms) plus `STAMP_SKEW_MS`
 *   counts as absent, and a change stamped that late is refused (`future`):
 *   a time nobody's clock has reached cannot win.
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
  | { action: 'skip'; reason: 'stale' | 'tie-lost' | 'edited-here' | 'deleted-later' | 'unchanged' | 'future' }
  | { action: 'confirm' }

/**
 * What to do with `upsert(changedAt, attributes)` given the target's copy and tombstone. A create takes
 * the attributes whole (an unverified email included, see changeAttributes); an update writes only the
 * replicated ones, so an unverified address never reaches an existing copy.
 */
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
    /** The deciding clock, ms. */
    now?: number
  } = {},
): UpsertDecision {
  const now = context.now ?? Date.now()
  if (!isPlausibleStamp(change.changedAt, now)) return { action: 'skip', reason: 'future' }
  if (!stored) {
    if (tombstoneAt !== undefined && tombstoneAt >= change.changedAt) return { action: 'skip', reason: 'deleted-later' }
    return { action: 'create', attributes: withStamp(change.attributes, change.changedAt, change.attributes) }
  }
  // Writing an unverified email to an existing copy would make Cognito mail it a code: it keeps its own.
  const wanted = { changedAt: change.changedAt, attributes: replicatedAttributes(change.attributes) }
  // A copy whose creation stopped half-way (no permanent password yet) is finished whatever the outcome.
  const confirm = stored.status === 'FORCE_CHANGE_PASSWORD'
  const storedAt = stampOf(stored.attributes, CHANGED_AT_ATTRIBUTE, now)
  const mine = canonicalAttributes(wanted.attributes)
  const theirs = canonicalAttributes(stored.attributes)
  // An edit made to the copy after it was stamped (typically while a retry of the user's creation was on its
  // way here) will be stamped later than `storedAt` by its own lifecycle event, so it beats every version up
  // to that time; a version stamped at the same time is not a tie but older.
  const editedHere = hasUnstampedEdit(stored.attributes) || (context.ownCopy === true && !storedAt && mine !== theirs)
  const wins =
    !(context.ownCopy && editedHere) &&
    (change.changedAt > storedAt || (change.changedAt === storedAt && !editedHere && mine >= theirs))
  const removals = wins ? attributeRemovals(stored.attributes, wanted.attributes) : []
  const changes = wins ? attributeChanges(stored.attributes, stampedResult(stored.attributes, wanted, removals)) : {}
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
  | { action: 'skip'; reason: 'stale' | 'unchanged' | 'missing' | 'future' }

/** What to do with `disable`/`enable(changedAt)` given the target's copy, at `now` (ms). */
export function decideState(
  stored: UserSnapshot | undefined,
  change: { enabled: boolean; changedAt: number },
  now = Date.now(),
): StateDecision {
  if (!isPlausibleStamp(change.changedAt, now)) return { action: 'skip', reason: 'future' }
  if (!stored) return { action: 'skip', reason: 'missing' }
  const storedAt = stampOf(stored.attributes, ENABLED_AT_ATTRIBUTE, now)
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

export type DeleteDecision = { action: 'delete' } | { action: 'skip'; reason: 'gone' | 'changed-later' | 'future' }

/** What to do with `delete(changedAt)` at `now` (ms): only an attribute change newer than the delete keeps the user. */
export function decideDelete(
  stored: UserSnapshot | undefined,
  change: { changedAt: number },
  now = Date.now(),
): DeleteDecision {
  if (!isPlausibleStamp(change.changedAt, now)) return { action: 'skip', reason: 'future' }
  if (!stored) return { action: 'skip', reason: 'gone' }
  if (stampOf(stored.attributes, CHANGED_AT_ATTRIBUTE, now) > change.changedAt)
    return { action: 'skip', reason: 'changed-later' }
  return { action: 'delete' }
}

/**
 * The version of a user's attributes: its stamp, or its last modification for
 * users that predate replication. A copy edited since it was stamped is one
 * millisecond newer than its stamp, as its own lifecycle event will make it.
 * A stamp later than `now` allows counts as absent.
 */
export function attributeVersion(user: UserSnapshot, now = Date.now()): number {
  const stamp = stampOf(user.attributes, CHANGED_AT_ATTRIBUTE, now)
  if (!stamp) return Math.max(1, Math.floor(user.lastModified ?? 1))
  return hasUnstampedEdit(user.attributes) ? stamp + 1 : stamp
}

/** Orders two copies of a user by the attribute rule: the greater one wins. */
export function compareAttributeVersions(a: UserSnapshot, b: UserSnapshot, now = Date.now()): number {
  const byTime = attributeVersion(a, now) - attributeVersion(b, now)
  if (byTime !== 0) return byTime
  const ca = canonicalAttributes(a.attributes)
  const cb = canonicalAttributes(b.attributes)
  return ca === cb ? 0 : ca > cb ? 1 : -1
}
