import { randomUUID } from 'node:crypto'
import { CognitoError, invalidParameter } from '../errors.js'
import { createUsernameIndex, type UsernameIndexOptions } from './username-index.js'

/** Cognito's `UserStatus` values the emulator produces. */
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED'

export interface StoredUser {
  username: string
  sub: string
  /** Every attribute except `sub`, as Cognito stores them: strings. */
  attributes: Record<string, string>
  enabled: boolean
  status: UserStatus
  createdAt: number
  updatedAt: number
  /**
   * Pending codes: `signup` for ConfirmSignUp, `attr:<name>` for VerifyUserAttribute (with the new
   * `value` when the pool keeps the original active until the change is verified).
   */
  codes: Record<string, { code: string; expiresAt: number; value?: string }>
}

export type UserChange = { kind: 'put'; user: StoredUser } | { kind: 'delete'; username: string }

/** The standard attributes of a user pool's schema (besides `sub`). */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
])

/** A standard attribute or a `custom:` one: what the default schema (plus custom attributes) holds. */
export const isSchemaAttribute = (name: string) => STANDARD_ATTRIBUTES.has(name) || name.startsWith('custom:')

/** Checks `[{ Name, Value }]` against the default schema; `sub` is immutable. */
export function parseAttributeList(value: unknown, member = 'UserAttributes'): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (!Array.isArray(value)) throw invalidParameter(`${member} must be a list`)
  const out: Record<string, string> = {}
  for (const item of value) {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown }
    if (typeof Name !== 'string' || Name === '') throw invalidParameter(`${member}: every attribute needs a Name`)
    if (Name === 'sub') throw invalidParameter('Cannot modify an immutable attribute: sub')
    if (!isSchemaAttribute(Name)) {
      throw invalidParameter(`Attribute does not exist in the schema.`)
    }
    if (Value !== undefined && typeof Value !== 'string') throw invalidParameter(`${member}: ${Name} must be a string`)
    out[Name] = Value ?? ''
  }
  if (out.email !== undefined && out.email !== '' && !/^[^\s@]+@[^\s@]+$/.test(out.email)) {
    throw invalidParameter('Invalid email address format.')
  }
  return out
}

/** `[{ Name, Value }]` as Cognito returns it, `sub` first. */
export function attributeList(user: StoredUser, only?: readonly string[]): { Name: string; Value: string }[] {
  const all = [['sub', user.sub], ...Object.entries(user.attributes)] as [string, string][]
  return all.filter(([name]) => !only || only.includes(name)).map(([Name, Value]) => ({ Name, Value }))
}

/** The `userAttributes` map of a trigger event, with Cognito's `cognito:*` extras. */
export function triggerAttributes(user: StoredUser): Record<string, string> {
  const attrs: Record<string, string> = { sub: user.sub, ...user.attributes }
  attrs['cognito:user_status'] = user.status
  if (user.attributes.email && user.attributes.email_verified === 'true') {
    attrs['cognito:email_alias'] = user.attributes.email
  }
  return attrs
}

export function newUser(username: string, attributes: Record<string, string>, status: UserStatus, now: number) {
  const user: StoredUser = {
    username,
    sub: randomUUID(),
    attributes,
    enabled: true,
    status,
    createdAt: now,
    updatedAt: now,
    codes: {},
  }
  return user
}

/** The order ListUsers has always answered in without a username filter: creation, then username. */
const byCreation = (a: StoredUser, b: StoredUser) => a.createdAt - b.createdAt || a.username.localeCompare(b.username)

/**
 * One pool's users. Usernames are case-insensitive (the default for new
 * pools). With `emailAlias` (Cognito's `AliasAttributes: ["email"]`) a
 * verified email also finds its user and must be unique; the deployed pool has
 * no alias (it would tell a known email from an unknown one, docs/security.md).
 * `onChange` sees every write, which is how replicas are fed. Usernames are also
 * kept sorted (`username-index.ts`), so a username prefix is a range, not a scan.
 */
export function createUserStore(
  options: { onChange?: (change: UserChange) => void; emailAlias?: boolean; index?: UsernameIndexOptions } = {},
) {
  const emailAlias = options.emailAlias === true
  const users = new Map<string, StoredUser>()
  const index = createUsernameIndex(options.index)
  // The creation-ordered list, sorted once and kept until the next write, so paging through a big
  // pool without a filter does not sort it again for every page.
  let ordered: StoredUser[] | undefined
  const key = (username: string) => username.toLowerCase()

  /** Every write goes through here and `remove`, which keep the index and the cache in step. */
  function write(user: StoredUser) {
    const previous = users.get(key(user.username))
    if (previous?.username !== user.username) {
      if (previous) index.remove(previous.username)
      index.add(user.username)
    }
    users.set(key(user.username), user)
    ordered = undefined
  }

  function remove(username: string): boolean {
    const previous = users.get(key(username))
    if (!previous) return false
    users.delete(key(username))
    index.remove(previous.username)
    ordered = undefined
    return true
  }

  function orderedUsers(): readonly StoredUser[] {
    ordered ??= [...users.values()].sort(byCreation)
    return ordered
  }

  const byAlias = (email: string) => {
    const wanted = email.toLowerCase()
    for (const user of users.values()) {
      if (user.attributes.email_verified === 'true' && user.attributes.email?.toLowerCase() === wanted) return user
    }
    return undefined
  }

  return {
    get: (username: string) => users.get(key(username)),
    get size() {
      return users.size
    },
    /** InitiateAuth's USERNAME: the username, or (with the alias) a verified email. */
    resolve(login: string) {
      return users.get(key(login)) ?? (emailAlias && login.includes('@') ? byAlias(login) : undefined)
    },
    byAlias,
    /** Throws AliasExistsException when another user already holds this verified email. */
    assertAliasFree(user: StoredUser) {
      const email = user.attributes.email
      if (!emailAlias || !email || user.attributes.email_verified !== 'true') return
      const holder = byAlias(email)
      if (holder && key(holder.username) !== key(user.username)) {
        throw new CognitoError('AliasExistsException', 'An account with the given email already exists.')
      }
    },
    put(user: StoredUser) {
      write(user)
      options.onChange?.({ kind: 'put', user })
    },
    delete(username: string) {
      const existed = remove(username)
      if (existed) options.onChange?.({ kind: 'delete', username })
      return existed
    },
    /** Replica feed: writes without notifying (a copy is not a new change). */
    apply(change: UserChange) {
      if (change.kind === 'put') write(structuredClone(change.user))
      else remove(change.username)
    },
    /**
     * Bulk seeding: adds users none of which exists yet (the caller checked), without notifying
     * anyone, and merges their usernames into the index in one pass.
     */
    insertNew(added: readonly StoredUser[]) {
      for (const user of added) users.set(key(user.username), user)
      index.addMany(added.map((u) => u.username))
      ordered = undefined
    },
    /** Users whose username starts with `prefix` (equals it, with `exact`), in username order, after `after`. */
    usernameRange(prefix: string, range: { after?: string; limit: number; exact?: boolean }): StoredUser[] {
      return index.range(prefix, range).map((name) => users.get(key(name)) as StoredUser)
    },
    /** Every user, oldest first; the same array until the next write, so treat it as read-only. */
    ordered: orderedUsers,
    /** Every user, oldest first, in an array of the caller's own. */
    list: (): StoredUser[] => [...orderedUsers()],
  }
}

export type UserStore = ReturnType<typeof createUserStore>
