import { randomId } from './identity.js'
import { sleep } from './persist.js'
import { readJson, type StorageAdapter, writeJson } from './storage.js'

interface Lease {
  owner: string
  until: number
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

/**
 * Runs one function at a time per name, across tabs. Uses the Web Locks API
 * where it exists; otherwise a lease in the shared storage (best effort: a
 * write–read-back check, taken over once it expires), plus an in-tab queue.
 */
export function createLock(storage: StorageAdapter, now: () => number, leaseMs = 10_000, pollMs = 50) {
  const owner = randomId()
  const queues = new Map<string, Promise<unknown>>()

  async function withLease<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const key = `${name}.lease`
    const mine = async () => (await readJson<Lease>(storage, key))?.owner === owner
    for (;;) {
      const lease = await readJson<Lease>(storage, key)
      if (!lease || lease.until <= now() || lease.owner === owner) {
        await writeJson(storage, key, { owner, until: now() + leaseMs })
        // Two tabs may write at once; the one whose write stayed wins.
        if (await mine()) break
      }
      await sleep(pollMs)
    }
    try {
      return await fn()
    } finally {
      if (await mine()) await storage.removeItem(key)
    }
  }

  return function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks
    if (locks?.request) return locks.request(name, fn)
    const run = (queues.get(name) ?? Promise.resolve()).then(() => withLease(name, fn))
    // The queue keeps the settled run, so a failing holder neither blocks the
    // next one nor surfaces as an unhandled rejection.
    queues.set(
      name,
      run.catch(() => {}),
    )
    return run
  }
}
