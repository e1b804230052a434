/**
 * Remembers that something (a link's `jti`, a bridge token's `jti`) was used.
 * `consume` is an atomic "insert if absent": true the first time a key is
 * seen, false afterwards. Keys are namespaced by the caller (`link#…`,
 * `bridge#…`). In AWS it must be a store every region sees.
 */
export interface SingleUseStore {
  /** @param expiresAt seconds since the epoch after which the key may be forgotten (the token is dead anyway). */
  consume(key: string, expiresAt: number): Promise<boolean>
}

export interface MemorySingleUseStoreOptions {
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number
}

/**
 * An in-process {@link SingleUseStore} for the emulator and tests. Share one
 * instance between regions to get the "every region sees it" property.
 *
 * @example
 * const store = createMemorySingleUseStore()
 * await store.consume('link#abc', exp) // true
 * await store.consume('link#abc', exp) // false
 */
export function createMemorySingleUseStore(options: MemorySingleUseStoreOptions = {}): SingleUseStore {
  const now = options.now ?? Date.now
  const used = new Map<string, number>()
  let nextSweep = 0
  return {
    async consume(key, expiresAt) {
      if (typeof key !== 'string' || key === '') throw new TypeError('single-use key must be a non-empty string')
      const nowSeconds = now() / 1000
      // Forget dead entries (at most once a minute) so a long-running emulator does not grow without bound.
      if (nowSeconds >= nextSweep) {
        for (const [k, until] of used) if (until < nowSeconds) used.delete(k)
        nextSweep = nowSeconds + 60
      }
      if (used.has(key)) return false
      used.set(key, expiresAt)
      return true
    },
  }
}
