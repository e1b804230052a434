import type { UserChange, UserStore } from '../store/user-store.js'

/**
 * Copies the primary's user writes to the secondary after a lag, the way
 * Cognito's multi-Region replication makes a new user visible in the
 * replica a little later. Each change is snapshotted when it happens.
 */
export function createReplicaFeed(options: { lagMs: number }) {
  const targets: UserStore[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
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
      }, options.lagMs)
      timer.unref()
      timers.add(timer)
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}

export type ReplicaFeed = ReturnType<typeof createReplicaFeed>
