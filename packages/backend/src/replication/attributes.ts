import { createHash } from 'node:crypto'

/**
 * Which attributes replicate, and the two bookkeeping attributes that make
 * conflicts decidable. Pools must declare both as custom attributes (String,
 * mutable) and leave them out of every app client's write attributes, so
 * only the backend (admin API) can set them.
 */

/**
 * The version of a user's attributes: `<time ms>:<digest>`, the time of the
 * change the attributes reflect and a digest of those attributes (see
 * versionStamp). Stamps written before the digest existed are a bare time.
 */
export const CHANGED_AT_ATTRIBUTE = 'custom:rl_changed_at'
/** Time (ms) of the disable/enable a user's enabled state reflects. */
export const ENABLED_AT_ATTRIBUTE = 'custom:rl_enabled_at'

const BOOKKEEPING = new Set([CHANGED_AT_ATTRIBUTE, ENABLED_AT_ATTRIBUTE])

/**
 * How far ahead of the deciding clock a change time may be (ms). Replication
 * stamps with its own clocks (a Lambda's, CloudTrail's event time), which
 * agree within seconds. A time further ahead was not written by replication
 * (a client allowed to write `custom:rl_*`, a forged message, a broken clock)
 * and, if believed, would win every conflict until then: a user could
 * re-enable themself after an admin disabled them in another pool. Such a
 * stamp counts as absent and such a change is refused.
 */
export const STAMP_SKEW_MS = 60_000

/** True when a change time (ms) is not later than `now` plus {@link STAMP_SKEW_MS}. */
export const isPlausibleStamp = (at: number, now: number): boolean => at <= now + STAMP_SKEW_MS

export type AttributeMap = Record<string, string>

/** `[{ Name, Value }]` (Cognito's AttributeType list) to a map. */
export function attributeMap(list: readonly { Name?: string | undefined; Value?: string | undefined }[] = []) {
  const out: AttributeMap = {}
  for (const { Name, Value } of list) if (Name) out[Name] = Value ?? ''
  return out
}

/** A map to Cognito's `[{ Name, Value }]`, in a stable order. */
export function attributeList(map: AttributeMap): { Name: string; Value: string }[] {
  return Object.keys(map)
    .sort()
    .map((Name) => ({ Name, Value: map[Name] as string }))
}

/**
 * The attributes a peer copies from a user: everything except `sub` (each
 * pool has its own), Cognito's `cognito:*` extras and the bookkeeping
 * attributes. An email counts only once verified, and always as verified:
 * a pending, unproven address is never written to an existing copy (that
 * would make the peer mail a verification code), which keeps the last proven
 * one; only a copy being created gets it, unverified (changeAttributes).
 *
 * @example
 * replicatedAttributes({ sub: 'x', email: 'a@b.c', email_verified: 'true', 'custom:plan': 'pro' })
 * // { email: 'a@b.c', email_verified: 'true', 'custom:plan': 'pro' }
 */
export function replicatedAttributes(attributes: AttributeMap): AttributeMap {
  const out: AttributeMap = {}
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub' || name.startsWith('cognito:') || BOOKKEEPING.has(name)) continue
    if (name === 'email' || name === 'email_verified') continue
    out[name] = value
  }
  if (attributes.email && attributes.email_verified === 'true') {
    out.email = attributes.email
    out.email_verified = 'true'
  }
  return out
}

/**
 * What a change carries for a user (a queue message, a reconcile repair):
 * its replicated attributes and, when its email is not verified, that email
 * marked unverified. A copy *created* from it then has the email the pool's
 * schema requires (AdminCreateUser with SUPPRESS mails nothing, and codes
 * can reach the person in that region); an *update* of an existing copy
 * drops the unverified address again (see decideUpsert), as
 * replicatedAttributes says. Versions are compared on replicatedAttributes,
 * so the extra email never changes a digest.
 *
 * @example
 * changeAttributes({ sub: 'x', email: 'new@b.c', email_verified: 'false', name: 'Ada' })
 * // { email: 'new@b.c', email_verified: 'false', name: 'Ada' }
 */
export function changeAttributes(attributes: AttributeMap): AttributeMap {
  const out = replicatedAttributes(attributes)
  if (attributes.email && out.email === undefined) {
    out.email = attributes.email
    out.email_verified = 'false'
  }
  return out
}

/**
 * A bookkeeping stamp's time as a number; 0 (older than any change) when
 * absent, unreadable, or later than `now` allows (see {@link STAMP_SKEW_MS}).
 */
export function stampOf(attributes: AttributeMap, name: string, now: number): number {
  const value = Number(attributes[name]?.split(':', 1)[0])
  return Number.isSafeInteger(value) && value > 0 && isPlausibleStamp(value, now) ? value : 0
}

/** A short digest of a replicated attribute set (96 bits: a collision would need a deliberate search). */
export function attributeDigest(attributes: AttributeMap): string {
  return createHash('sha256').update(canonicalAttributes(attributes)).digest('base64url').slice(0, 16)
}

/**
 * The `custom:rl_changed_at` value for a copy holding `attributes` as of
 * `changedAt`. The digest lets a copy tell an edit made to it after it was
 * stamped (its content no longer matches its digest) from another version
 * stamped at the same time: a time alone cannot.
 *
 * @example
 * versionStamp(1767225600000, { email: 'a@b.c', email_verified: 'true' }) // '1767225600000:…'
 */
export function versionStamp(changedAt: number, attributes: AttributeMap): string {
  return `${changedAt}:${attributeDigest(attributes)}`
}

/**
 * True when a copy was changed after its version was stamped: it carries a
 * digest and its attributes no longer match it. Such an edit is newer than
 * the stamp; its own lifecycle event will stamp it later.
 */
export function hasUnstampedEdit(attributes: AttributeMap): boolean {
  const digest = attributes[CHANGED_AT_ATTRIBUTE]?.split(':')[1]
  return digest !== undefined && digest !== attributeDigest(attributes)
}

/** A stable text form of a replicated attribute set, to compare two sets and to break ties. */
export function canonicalAttributes(attributes: AttributeMap): string {
  return JSON.stringify(attributeList(replicatedAttributes(attributes)).map(({ Name, Value }) => [Name, Value]))
}

/**
 * The attributes to write so that `current` matches `wanted`: the changed
 * and new ones (removals: see attributeRemovals).
 */
export function attributeChanges(current: AttributeMap, wanted: AttributeMap): AttributeMap {
  const changes: AttributeMap = {}
  for (const [name, value] of Object.entries(wanted)) if (current[name] !== value) changes[name] = value
  // Cognito marks a changed email unverified (and mails a code) unless the same call says it is verified.
  if (changes.email !== undefined && wanted.email_verified !== undefined) changes.email_verified = wanted.email_verified
  return changes
}

/**
 * Replicated attributes `current` has and `wanted` lacks: the winning
 * version does not have them, so they go (AdminDeleteUserAttributes). The
 * email stays: an unverified address is left out of `wanted` on purpose.
 */
export function attributeRemovals(current: AttributeMap, wanted: AttributeMap): string[] {
  return Object.keys(replicatedAttributes(current)).filter(
    (name) => !(name in wanted) && name !== 'email' && name !== 'email_verified',
  )
}
