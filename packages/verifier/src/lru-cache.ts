/**
 * A bounded cache with least-recently-used eviction in two generations: lookups in the young generation
 * cost one Map get (no reordering), and a hit in the old one moves the entry forward. Holds at most `max`.
 */
export interface BoundedCache<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
  /** `set` for a key just looked up and missed: skips the checks `set` needs. */
  insert(key: string, value: V): void
  delete(key: string): void
  readonly size: number
}

export function createBoundedCache<V>(max: number): BoundedCache<V> {
  const generation = Math.max(1, Math.floor(max / 2))
  let young = new Map<string, V>()
  let old = new Map<string, V>()

  function insert(key: string, value: V): void {
    young.set(key, value)
    if (young.size >= generation) {
      // The old generation is dropped whole: everything in it was not touched for a full generation.
      old = young
      young = new Map()
    }
  }

  if (max <= 0) {
    return { get: () => undefined, set() {}, insert() {}, delete() {}, size: 0 }
  }
  return {
    get(key) {
      const hit = young.get(key)
      if (hit !== undefined) return hit
      const aged = old.get(key)
      if (aged !== undefined) {
        old.delete(key)
        insert(key, aged)
      }
      return aged
    },
    set(key, value) {
      if (young.has(key)) young.set(key, value)
      else {
        old.delete(key)
        insert(key, value)
      }
    },
    insert,
    delete(key) {
      young.delete(key)
      old.delete(key)
    },
    get size() {
      return young.size + old.size
    },
  }
}
