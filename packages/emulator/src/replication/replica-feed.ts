import type { UserChange, UserStore } from '../store/user-store.js'

/**
 * Copies the primary's user writes to the secondary after a lag, the way
 * Cognito's multi-Region replication makes a new user visible in the
 * replica a little later. Each change is snapshotted when it happens.
 */
export function createReplicaFeed(options: { lagMs: number }) {
  const targets: UserStore[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let waiting: (() => void)[] = []
  const wake = () => {
    if (timers.size) return
    const woken = waiting
    waiting = []
    for (const resolve of woken) resolve()
  }
  return {
    subscribe(store: UserStore) {
      targets.push(store)
    },
    publish(change: UserChange) {
      const snapshot: UserChange = change.kind === 'put' ? { kind: 'put', user: structuredClone(change.user) } : change
      const apply = () => {
        for (const store of targets) store.apply(snapshot)
      }
      if (options.lagMs <= 0) return apply()
      const timer = setTimeout(() => {
        timers.delete(timer)
        apply()
        wake()
      }, options.lagMs)
      timer.unref()
      timers.add(timer)
    },
    /** Resolves once every change published so far has reached the replicas (at once when none waits). */
    settled(): Promise<void> {
      if (!timers.size) return Promise.resolve()
      return new Promise((resolve) => waiting.push(resolve))
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      wake()
    },
  }
}

export type ReplicaFeed = ReturnType<typeof createReplicaFeed>
