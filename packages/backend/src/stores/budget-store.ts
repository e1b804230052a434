/**
 * Budgets per person that hold across regions. Each region keeps its own record of a key (in AWS
 * its own item of the global table, because a conditional write is atomic only in the region that
 * makes it) and reads every region's record to decide. A budget is therefore the sum over regions:
 * exact for this region, as replicated (a second or so late) for the others. docs/security.md says
 * what that lag leaves open.
 */
export interface BudgetStore {
  /** The region whose record this store writes. */
  readonly region: string
  /** Times (seconds since the epoch) of the events of `key` at or after `since`, from every region. */
  events(key: string, since: number): Promise<number[]>
  /**
   * Adds an event at `at` to this region's record of `key` if `admit` accepts the events seen (every
   * region's at or after `since`, and this region's alone), atomically for this region: of two
   * concurrent calls here, the second sees the first. The record keeps the newest `keep` events after
   * `since`.
   */
  record(key: string, at: number, options: RecordOptions): Promise<{ recorded: boolean; events: number[] }>
}

export interface RecordOptions {
  since: number
  keep: number
  /** Seconds since the epoch after which the whole record may be forgotten. */
  expiresAt: number
  admit?: (events: number[], own: number[]) => boolean
}

/** This region's record after adding `at`: events at or after `since`, the newest `keep`, oldest first. */
export function nextRecord(own: number[], at: number, since: number, keep: number): number[] {
  return [...own.filter((t) => t >= since), at].sort((a, b) => a - b).slice(-keep)
}

interface Version {
  /** Milliseconds since the epoch when this version was written. */
  writtenAt: number
  events: number[]
  expiresAt: number
}

export interface MemoryBudgetTableOptions {
  /**
   * Milliseconds before a region sees another region's write, as a DynamoDB global table replicates
   * (typically under a second). 0: every region sees every write at once.
   */
  lagMs?: number
  /** Milliseconds since the epoch; injectable for tests and the emulator's clock. */
  now?: () => number
}

/**
 * An in-process model of a global table holding budgets: one {@link BudgetStore} per region, each
 * seeing its own writes at once and the others' `lagMs` later. The emulator uses it so tests see the
 * window that replication lag leaves in AWS.
 *
 * @example
 * const table = createMemoryBudgetTable({ lagMs: 1000 })
 * const eu = table.forRegion('eu-west-1')
 * await eu.record('budget#send#u_1', 1000, { since: 970, keep: 10, expiresAt: 4600 })
 */
export function createMemoryBudgetTable(options: MemoryBudgetTableOptions = {}) {
  const lagMs = options.lagMs ?? 0
  const now = options.now ?? Date.now
  if (!Number.isFinite(lagMs) || lagMs < 0) throw new TypeError('lagMs must be a number ≥ 0')
  // key → region → versions, oldest first
  const items = new Map<string, Map<string, Version[]>>()
  let nextSweep = 0

  function sweep(ms: number) {
    if (ms < nextSweep) return
    nextSweep = ms + 60_000
    for (const [key, regions] of items) {
      for (const [region, versions] of regions) {
        const latest = versions.at(-1)
        if (!latest || latest.expiresAt * 1000 < ms - lagMs) regions.delete(region)
        // Keep the newest version every reader may still see, and anything newer.
        else
          regions.set(
            region,
            versions.slice(
              Math.max(
                0,
                versions.findLastIndex((v) => v.writtenAt <= ms - lagMs),
              ),
            ),
          )
      }
      if (regions.size === 0) items.delete(key)
    }
  }

  function visible(reader: string, owner: string, versions: Version[], ms: number): Version | undefined {
    if (owner === reader) return versions.at(-1)
    return versions.findLast((v) => v.writtenAt <= ms - lagMs)
  }

  function seen(reader: string, key: string, since: number, ms: number): number[] {
    const out: number[] = []
    for (const [owner, versions] of items.get(key) ?? []) {
      const version = visible(reader, owner, versions, ms)
      if (version && version.expiresAt * 1000 >= ms) out.push(...version.events.filter((t) => t >= since))
    }
    return out.sort((a, b) => a - b)
  }

  function checkKey(key: unknown) {
    if (typeof key !== 'string' || key === '') throw new TypeError('budget key must be a non-empty string')
  }

  return {
    forRegion(region: string): BudgetStore {
      if (typeof region !== 'string' || region === '') throw new TypeError('region must be a non-empty string')
      return {
        region,
        async events(key, since) {
          checkKey(key)
          return seen(region, key, since, now())
        },
        // No await between reading and writing: the event loop makes it atomic, as a conditional write is.
        async record(key, at, { since, keep, expiresAt, admit }) {
          checkKey(key)
          const ms = now()
          sweep(ms)
          const events = seen(region, key, since, ms)
          const regions = items.get(key) ?? new Map<string, Version[]>()
          const versions = regions.get(region) ?? []
          const latest = versions.at(-1)
          const own = latest && latest.expiresAt * 1000 >= ms ? latest.events : []
          if (
            admit &&
            !admit(
              events,
              own.filter((t) => t >= since),
            )
          )
            return { recorded: false, events }
          items.set(key, regions)
          regions.set(region, versions)
          versions.push({ writtenAt: ms, events: nextRecord(own, at, since, keep), expiresAt })
          return { recorded: true, events: [...events, at].sort((a, b) => a - b) }
        },
      }
    },
  }
}
