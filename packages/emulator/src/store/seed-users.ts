import { randomUUID } from 'node:crypto'
import { isSchemaAttribute, type StoredUser, type UserStatus } from './user-store.js'

/** One user to seed, as `POST /_regionless/users/seed` and `emulator.seedUsers` take it. */
export interface SeedUser {
  username: string
  /** Attribute name → value, without `sub` (each seeded user gets a new one). */
  attributes?: Record<string, string>
  /** Default true. */
  enabled?: boolean
  /** Default `CONFIRMED`. */
  status?: UserStatus
  /** Epoch milliseconds or an ISO time; default now. Also the user's last-modified time. */
  createdAt?: number | string
}

/**
 * A seed request the emulator refused; nothing was written. `field` names the member at fault
 * (`users[12].username`), `reason` sorts the mistake: `invalid` input, an `unknown-region`, or a
 * `duplicate` username (twice in the request, or already in the pool).
 */
export class SeedError extends Error {
  override readonly name = 'SeedError'
  constructor(
    readonly reason: 'invalid' | 'unknown-region' | 'duplicate',
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`)
  }
}

const STATUSES: ReadonlySet<string> = new Set(['UNCONFIRMED', 'CONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED'])

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The username rules AdminCreateUser applies (packages/emulator/src/cognito/sign-up.ts). */
function checkUsername(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new SeedError('invalid', field, 'must be a non-empty string')
  if (value.length > 128 || /\s/.test(value)) throw new SeedError('invalid', field, 'at most 128 characters, no spaces')
  if (/^[^@]+@[^@]+$/.test(value)) throw new SeedError('invalid', field, 'cannot be of email format')
  return value
}

function checkAttributes(value: unknown, field: string): Record<string, string> {
  if (value === undefined) return {}
  if (!isObject(value)) throw new SeedError('invalid', field, 'must be an object of attribute name → string value')
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value)) {
    if (name === 'sub') throw new SeedError('invalid', `${field}.sub`, 'is given to each seeded user, not taken')
    if (!isSchemaAttribute(name)) throw new SeedError('invalid', `${field}.${name}`, 'not an attribute of the schema')
    if (typeof v !== 'string') throw new SeedError('invalid', `${field}.${name}`, 'must be a string')
    out[name] = v
  }
  if (out.email && !/^[^\s@]+@[^\s@]+$/.test(out.email)) {
    throw new SeedError('invalid', `${field}.email`, 'not an email address')
  }
  return out
}

function checkTime(value: unknown, field: string, now: number): number {
  if (value === undefined) return now
  const ms = typeof value === 'string' ? Date.parse(value) : value
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new SeedError('invalid', field, 'must be epoch milliseconds or an ISO time')
  }
  return ms
}

/**
 * Checks a whole seed request against a pool (`exists` says whether it holds a username) and builds its users, or throws a {@link SeedError}
 * at the first mistake, before anything is written: a request is seeded whole or not at all.
 */
export function buildSeedUsers(input: unknown, exists: (username: string) => boolean, now: number): StoredUser[] {
  if (!Array.isArray(input)) throw new SeedError('invalid', 'users', 'must be an array')
  const seen = new Set<string>()
  return input.map((raw, i): StoredUser => {
    const at = `users[${i}]`
    if (!isObject(raw)) throw new SeedError('invalid', at, 'must be an object { username, attributes?, … }')
    const username = checkUsername(raw.username, `${at}.username`)
    // Usernames are case-insensitive in the pool, so `U_1` and `u_1` are one user.
    const key = username.toLowerCase()
    if (seen.has(key)) throw new SeedError('duplicate', `${at}.username`, `${username} appears twice in the request`)
    if (exists(username)) throw new SeedError('duplicate', `${at}.username`, `${username} already exists`)
    seen.add(key)
    if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') {
      throw new SeedError('invalid', `${at}.enabled`, 'must be true or false')
    }
    if (raw.status !== undefined && !STATUSES.has(raw.status as string)) {
      throw new SeedError('invalid', `${at}.status`, `must be one of ${[...STATUSES].join(', ')}`)
    }
    const createdAt = checkTime(raw.createdAt, `${at}.createdAt`, now)
    return {
      username,
      sub: randomUUID(),
      attributes: checkAttributes(raw.attributes, `${at}.attributes`),
      enabled: raw.enabled ?? true,
      status: (raw.status as UserStatus | undefined) ?? 'CONFIRMED',
      createdAt,
      updatedAt: createdAt,
      codes: {},
    }
  })
}
