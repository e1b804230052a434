import { randomId } from './identity.js'
import { readJson, type StorageAdapter, writeJson } from './storage.js'

interface Lease {
  owner: string
  until: number
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs one function at a time per name, across tabs. Uses the Web Locks API
 * where it exists; otherwise a lease in the shared storage (best effort: a
 * write–read-back check, taken over once it expires), plus an in-tab queue.
 */
export function createLock(storage: StorageAdapter, now: () => number, leaseMs = 10_000, pollMs = 50) {
  const owner = randomId()
  const queues = new Map<string, Promise<unknown>>()

  async function acquireLease(key: string): Promise<void> {
    for (;;) {
      const lease = await readJson<Lease>(storage, key)
      if (!lease || lease.until <= now() || lease.owner === owner) {
        await writeJson(storage, key, { owner, until: now() + leaseMs })
        // Two tabs may write at once; the one whose write stayed wins.
        if ((await readJson<Lease>(storage, key))?.owner === owner) return
      }
      await sleep(pollMs)
    }
  }

  async function withLease<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const key = `${name}.lease`
    await acquireLease(key)
    try {
      return await fn()
    } finally {
      if ((await readJson<Lease>(storage, key))?.owner === owner) await storage.removeItem(key)
    }
  }

  return function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks
    if (locks && typeof locks.request === 'function') return locks.request(name, fn)
    const previous = queues.get(name) ?? Promise.resolve()
    const run = previous.catch(() => undefined).then(() => withLease(name, fn))
    queues.set(name, run)
    const forget = () => {
      if (queues.get(name) === run) queues.delete(name)
    }
    // Handled here so a failing holder does not surface as an unhandled rejection.
    run.then(forget, forget)
    return run
  }
}
