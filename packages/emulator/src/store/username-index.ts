/**
 * A pool's usernames in code-unit order (JavaScript's `<`), so that every username starting with a
 * prefix sits in one contiguous run: a `username ^= "…"` filter is a range, found by binary search.
 * The order is exact, case included, because Cognito's `username` filter is case-sensitive.
 *
 * A sorted array: a lookup is O(log n), a single add or remove moves O(n) references (a memmove,
 * microseconds at 100 000 users), a bulk add merges in O(n + k log k). Reads are what reconcile
 * stresses; writes during a run are the few repairs.
 */
export interface UsernameIndexOptions {
  /**
   * Called once per username the index looks at (each binary-search probe and each entry a range
   * walks), so a test can check a page's cost without timing anything.
   */
  onVisit?: () => void
}

export function createUsernameIndex(options: UsernameIndexOptions = {}) {
  const visit = options.onVisit ?? (() => {})
  let names: string[] = []

  /** The first position whose username is >= `key` (or > `key` when `strict`). */
  function lowerBound(key: string, strict = false): number {
    let lo = 0
    let hi = names.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      visit()
      const name = names[mid] as string
      if (name < key || (strict && name === key)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  return {
    get size() {
      return names.length
    },
    add(username: string) {
      const at = lowerBound(username)
      if (names[at] !== username) names.splice(at, 0, username)
    },
    remove(username: string) {
      const at = lowerBound(username)
      if (names[at] === username) names.splice(at, 1)
    },
    /** Adds many usernames at once (none may be present yet): a sort and one merge. */
    addMany(usernames: readonly string[]) {
      const added = [...usernames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      const merged: string[] = new Array(names.length + added.length)
      let i = 0
      let j = 0
      let k = 0
      while (i < names.length && j < added.length) {
        merged[k++] = (names[i] as string) <= (added[j] as string) ? (names[i++] as string) : (added[j++] as string)
      }
      while (i < names.length) merged[k++] = names[i++] as string
      while (j < added.length) merged[k++] = added[j++] as string
      names = merged
    },
    /**
     * Up to `limit` usernames that start with `prefix` (or equal it, with `exact`), in order, after
     * `after` when given. Costs O(log n + limit): the walk stops at the first name past the range.
     */
    range(prefix: string, options: { after?: string; limit: number; exact?: boolean }): string[] {
      const { after, limit, exact = false } = options
      let at = lowerBound(prefix)
      if (after !== undefined && after >= prefix) at = Math.max(at, lowerBound(after, true))
      const out: string[] = []
      while (at < names.length && out.length < limit) {
        const name = names[at++] as string
        visit()
        if (exact ? name !== prefix : !name.startsWith(prefix)) break
        out.push(name)
      }
      return out
    },
  }
}

export type UsernameIndex = ReturnType<typeof createUsernameIndex>
