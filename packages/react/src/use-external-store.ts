'use client'
import { useSyncExternalStore } from 'react'

/** The shape every Regionless store has: the client's own `subscribe`/`getSnapshot`. */
export interface ExternalStore<T> {
  subscribe(listener: () => void): () => void
  getSnapshot(): T
}

/**
 * Reads a store with `useSyncExternalStore`, so React re-renders only when
 * the store hands out a new snapshot object, and never tears. On the server
 * the same snapshot is used, so markup matches on hydration.
 */
export function useExternalStore<T>(store: ExternalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
}
