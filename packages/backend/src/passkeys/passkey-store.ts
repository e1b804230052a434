/**
 * Where passkeys live: a store every region sees (a DynamoDB global table in AWS, one shared
 * in-memory store in the emulator), keyed by the stable username, so a passkey registered through one
 * region signs in through any other, also while the first is down.
 */

/** One registered credential, as stored. Times are milliseconds since the epoch. */
export interface StoredPasskey {
  /** The credential id, base64url. */
  id: string
  /** The COSE public key, base64url. */
  publicKey: string
  /** The authenticator's signature counter at the last accepted use (0 for authenticators that keep none). */
  counter: number
  transports?: string[]
  name: string
  createdAt: number
  registeredRegion: string
  lastUsedAt?: number
  lastUsedRegion?: string
  /** Synced by its provider (iCloud Keychain, Google Password Manager…): its counter stays 0. */
  backedUp: boolean
  deviceType: 'singleDevice' | 'multiDevice'
}

/** Why a challenge was issued: to sign in (username-first or autofill) or to register a passkey. */
export interface ChallengeRecord {
  purpose: 'sign-in' | 'registration'
  /** Set for registration (the signed-in user) and for a username-first sign-in. */
  username?: string
  /** Seconds since the epoch. */
  expiresAt: number
}

/** What {@link PasskeyStore.recordUse} found. */
export type UseOutcome = 'recorded' | 'missing' | 'counter-not-greater'

export interface PasskeyStore {
  /** The user's passkeys (any order). */
  list(username: string): Promise<StoredPasskey[]>
  /** Adds a passkey; false when the user already has one with this id. */
  add(username: string, passkey: StoredPasskey): Promise<boolean>
  /**
   * Records an accepted sign-in. The counter is written only when it grows (or both are 0), checked
   * atomically against this region's copy, so two sign-ins with one counter value cannot both land.
   */
  recordUse(username: string, id: string, use: { counter: number; at: number; region: string }): Promise<UseOutcome>
  /** Renames a passkey; undefined when the user has none with this id. */
  rename(username: string, id: string, name: string): Promise<StoredPasskey | undefined>
  /** Removes a passkey; false when the user had none with this id. */
  remove(username: string, id: string): Promise<boolean>
  /** Removes every passkey of a user (account deletion). */
  removeAll(username: string): Promise<void>
  /** Keeps an issued challenge until `record.expiresAt`. */
  saveChallenge(challenge: string, record: ChallengeRecord): Promise<void>
  /** An issued challenge that has not expired, or undefined. Spending it is the single-use store's job. */
  findChallenge(challenge: string): Promise<ChallengeRecord | undefined>
}

export interface MemoryPasskeyStoreOptions {
  /** Milliseconds since the epoch; injectable for tests and the emulator's clock. */
  now?: () => number
}

/**
 * A {@link PasskeyStore} in memory, for the emulator and tests. Share one instance between regions to
 * get "every region sees it". Values are copied in and out, so callers cannot change what is stored.
 *
 * @example
 * const passkeys = createMemoryPasskeyStore()
 * await passkeys.add('u_3a…', passkey)
 */
export function createMemoryPasskeyStore(options: MemoryPasskeyStoreOptions = {}): PasskeyStore {
  const now = options.now ?? Date.now
  const users = new Map<string, Map<string, StoredPasskey>>()
  const challenges = new Map<string, ChallengeRecord>()
  const copy = (passkey: StoredPasskey): StoredPasskey => structuredClone(passkey)
  const of = (username: string) => users.get(username) ?? new Map<string, StoredPasskey>()
  const sweep = () => {
    const nowSeconds = now() / 1000
    for (const [key, record] of challenges) if (record.expiresAt <= nowSeconds) challenges.delete(key)
  }

  return {
    async list(username) {
      return [...of(username).values()].map(copy)
    },
    async add(username, passkey) {
      const mine = of(username)
      if (mine.has(passkey.id)) return false
      mine.set(passkey.id, copy(passkey))
      users.set(username, mine)
      return true
    },
    async recordUse(username, id, use) {
      const passkey = users.get(username)?.get(id)
      if (!passkey) return 'missing'
      if (!(use.counter > passkey.counter || (use.counter === 0 && passkey.counter === 0))) return 'counter-not-greater'
      Object.assign(passkey, { counter: use.counter, lastUsedAt: use.at, lastUsedRegion: use.region })
      return 'recorded'
    },
    async rename(username, id, name) {
      const passkey = users.get(username)?.get(id)
      if (!passkey) return undefined
      passkey.name = name
      return copy(passkey)
    },
    async remove(username, id) {
      return users.get(username)?.delete(id) ?? false
    },
    async removeAll(username) {
      users.delete(username)
    },
    async saveChallenge(challenge, record) {
      sweep()
      challenges.set(challenge, { ...record })
    },
    async findChallenge(challenge) {
      const record = challenges.get(challenge)
      if (!record || record.expiresAt <= now() / 1000) return undefined
      return { ...record }
    },
  }
}
