import type { Change } from './apply-change.js'
import {
  CHANGED_AT_ATTRIBUTE,
  canonicalAttributes,
  changeAttributes,
  ENABLED_AT_ATTRIBUTE,
  stampOf,
  versionStamp,
} from './attributes.js'
import { attributeVersion, compareAttributeVersions, type UserSnapshot } from './conflict.js'

/** One repair: a change to apply in one region, and why. */
export interface Repair {
  region: string
  change: Change
  reason: 'missing' | 'attributes' | 'enabled' | 'deleted'
}

/** A username present in some pools only, with no tombstone to decide, left alone (`missing: 'report'`). */
export interface Unresolved {
  username: string
  presentIn: string[]
  missingIn: string[]
}

export interface PlanOptions {
  /**
   * What to do with a user missing from some pools when no tombstone says it
   * was deleted: only `report` it (reconcile's default: a delete that left no
   * tombstone, such as a self-service `DeleteUser`, would otherwise be
   * undone), or `create` it there, when a person knows it was never deleted.
   */
  missing: 'create' | 'report'
  /** The deciding clock, ms (default: now): a stamp later than it allows counts as absent. */
  now?: number
}

/**
 * Compares the pools' copies of every user and lists the repairs that make
 * them equal, following the conflict rules (pure; no I/O):
 * - the copy with the newest attribute version wins, its attributes go everywhere;
 * - the enabled state with the newest `custom:rl_enabled_at` wins, disabled on ties;
 * - a user missing somewhere is deleted everywhere if a tombstone is at least
 *   as new as its newest version, else created where missing (or reported).
 *
 * @example
 * const { repairs } = planRepairs(new Map([['eu-west-1', euUsers], ['us-east-1', usUsers]]), tombstones, { missing: 'create' })
 */
export function planRepairs(
  pools: Map<string, Map<string, UserSnapshot>>,
  tombstones: Map<string, number> | undefined,
  options: PlanOptions,
): { repairs: Repair[]; unresolved: Unresolved[] } {
  const regions = [...pools.keys()]
  const usernames = new Set<string>()
  for (const users of pools.values()) for (const name of users.keys()) usernames.add(name)
  const repairs: Repair[] = []
  const unresolved: Unresolved[] = []
  const now = options.now ?? Date.now()

  for (const username of [...usernames].sort()) {
    const copies = regions.flatMap((region) => {
      const user = pools.get(region)?.get(username)
      return user ? [{ region, user }] : []
    })
    const missingIn = regions.filter((r) => !pools.get(r)?.has(username))
    const winner = copies.reduce((best, c) => (compareAttributeVersions(c.user, best.user, now) > 0 ? c : best))
    const version = attributeVersion(winner.user, now)
    // With an unverified email, so a copy created where the user is missing has one (an update drops it).
    const attributes = changeAttributes(winner.user.attributes)

    if (missingIn.length) {
      const deletedAt = tombstones?.get(username.toLowerCase())
      if (deletedAt !== undefined && deletedAt >= version) {
        for (const c of copies)
          repairs.push({
            region: c.region,
            change: { kind: 'delete', username, changedAt: deletedAt },
            reason: 'deleted',
          })
        continue
      }
      if (options.missing === 'report') {
        unresolved.push({ username, presentIn: copies.map((c) => c.region), missingIn })
      } else {
        const state = enabledWinner(copies, now)
        for (const region of missingIn) {
          repairs.push({
            region,
            change: { kind: 'upsert', username, attributes, changedAt: version },
            reason: 'missing',
          })
          // A new copy starts enabled; one user's repairs run in order, so this follows the create.
          if (!state.enabled) {
            repairs.push({
              region,
              change: { kind: 'disable', username, changedAt: state.changedAt },
              reason: 'enabled',
            })
          }
        }
      }
    }
    for (const c of copies) {
      // Equal means same attributes and the same stamp (a copy without one, or edited since its stamp, gets one).
      const same =
        canonicalAttributes(c.user.attributes) === canonicalAttributes(winner.user.attributes) &&
        c.user.attributes[CHANGED_AT_ATTRIBUTE] === versionStamp(version, c.user.attributes)
      if (!same || c.user.status === 'FORCE_CHANGE_PASSWORD') {
        repairs.push({
          region: c.region,
          change: { kind: 'upsert', username, attributes, changedAt: version },
          reason: 'attributes',
        })
      }
    }
    planEnabled(username, copies, repairs, now)
  }
  return { repairs, unresolved }
}

function enabledWinner(copies: { region: string; user: UserSnapshot }[], now: number) {
  const stamp = (u: UserSnapshot) => stampOf(u.attributes, ENABLED_AT_ATTRIBUTE, now)
  const newest = Math.max(...copies.map((c) => stamp(c.user)))
  const atNewest = copies.filter((c) => stamp(c.user) === newest)
  // Disabled wins ties, as in the worker.
  const enabled = atNewest.every((c) => c.user.enabled)
  const changedAt = newest || Math.max(1, ...copies.map((c) => Math.floor(c.user.lastModified ?? 1)))
  return { enabled, changedAt }
}

function planEnabled(
  username: string,
  copies: { region: string; user: UserSnapshot }[],
  repairs: Repair[],
  now: number,
) {
  if (copies.every((c) => c.user.enabled === copies[0]?.user.enabled)) return
  const { enabled, changedAt } = enabledWinner(copies, now)
  for (const c of copies) {
    if (c.user.enabled !== enabled) {
      repairs.push({
        region: c.region,
        change: { kind: enabled ? 'enable' : 'disable', username, changedAt },
        reason: 'enabled',
      })
    }
  }
}
