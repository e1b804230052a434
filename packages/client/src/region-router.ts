import type { ResolvedConfig, ResolvedRegion } from './config.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
import { persistently } from './persist.js'
import {
  type HealthMap,
  hedgeDelay,
  initialHealth,
  type RegionHealth,
  rankRegions,
  recordFailure,
  recordSuccess,
  secondsUntilRetry,
} from './region-health.js'
import { readJson, type StorageAdapter, writeJson } from './storage.js'

/** The least time between two calls sent while every breaker is open. */
const TRIAL_SPACING_MS = 3_000

/** Work to do in one region; the signal aborts it when another region won. */
export type RegionTask<T> = (region: ResolvedRegion, signal: AbortSignal) => Promise<T>

export interface RunOptions {
  /** Regions allowed for this task; default all. */
  only?: readonly string[]
  /** Safe to send to several regions at once (no email, no state change): start the next region after a delay. */
  hedge?: boolean
  /** Try this region first while its breaker lets it (read your own writes: the region that just created the user). */
  prefer?: string
  /**
   * Keep asking the same regions for up to this long while they answer 5xx
   * (a flapping region), past their breakers: for work only they can do,
   * such as a sign-up at the replicas' primary. Time-outs and refusals end it.
   */
  persistMs?: number
}

export interface RegionRouter {
  /** Loads health kept by an earlier page load. */
  load(): Promise<void>
  /** Regions worth trying now, best first. */
  ranked(only?: readonly string[]): string[]
  region(name: string): ResolvedRegion
  /** Runs a task in the best region, moving on to the next one on outage errors. */
  run<T>(task: RegionTask<T>, options?: RunOptions): Promise<{ region: ResolvedRegion; value: T }>
  /** Runs a task in one region and records how it went; `controller` lets a race abort it. */
  attempt<T>(name: string, task: RegionTask<T>, controller?: AbortController): Promise<T>
  health(): HealthMap
}

/**
 * Region choice with health kept in storage. `probe` is a cheap call used to
 * check, in the background, whether a region whose breaker cooled down is back.
 */
export function createRegionRouter(
  config: ResolvedConfig,
  storage: StorageAdapter,
  probe: RegionTask<unknown>,
  onPreferredChange: (from: string, to: string) => void,
): RegionRouter {
  const { regions, breaker, now } = config
  const names = regions.map((r) => r.region)
  const key = `${config.storageKey}.health`
  let health: HealthMap = Object.fromEntries(names.map((n) => [n, initialHealth(breaker)]))
  let preferred = config.homeRegion
  let writing: Promise<void> = Promise.resolve()

  const region = (name: string) => regions.find((r) => r.region === name)!
  const ranked = (only: readonly string[] = names) =>
    rankRegions(
      names.filter((n) => only.includes(n)),
      health,
      config.homeRegion,
      now(),
    )

  const update = (name: string, next: RegionHealth) => {
    health = { ...health, [name]: next }
    writing = writing.then(() => writeJson(storage, key, health)).catch(() => {})
    const best = ranked()[0]
    if (best && best !== preferred) {
      const from = preferred
      preferred = best
      onPreferredChange(from, best)
    }
  }
  const failed = (name: string, weight: number) => update(name, recordFailure(health[name]!, now(), breaker, weight))

  // A region ranked behind a healthy one because of failures (half-open, or
  // closed with failures) gets a background probe, at most once per cool-down,
  // instead of a user's request: that is how a recovered home gets its traffic back.
  // While a probe runs its region counts as probed just now and forever.
  const probedAt = new Map<string, number>()
  const probeLaggards = (order: string[]) => {
    const at = now()
    for (const name of order.slice(1)) {
      if (!health[name]!.failures || at - (probedAt.get(name) ?? Number.NEGATIVE_INFINITY) < breaker.cooldownMs)
        continue
      probedAt.set(name, Number.POSITIVE_INFINITY)
      attempt(name, probe)
        .catch(() => {})
        .finally(() => probedAt.set(name, at))
    }
  }

  async function attempt<T>(name: string, task: RegionTask<T>, controller = new AbortController()): Promise<T> {
    const started = now()
    try {
      const value = await task(region(name), controller.signal)
      update(name, recordSuccess(health[name]!, now() - started, breaker))
      return value
    } catch (err) {
      // Any answer that is not an outage proves the region is up.
      // A time-out already cost a full wait: it opens the breaker at once.
      if (controller.signal.aborted) throw err
      if (!isOutageError(err)) update(name, recordSuccess(health[name]!, now() - started, breaker))
      else failed(name, hasCode(err, 'TIMEOUT') ? breaker.failureThreshold : 1)
      throw err
    }
  }

  // When every breaker is open, one call every few seconds still goes to the region
  // that reopens first: a person's retry succeeds as soon as a region is back,
  // and nothing can loop against dead regions.
  let lastTrial = Number.NEGATIVE_INFINITY
  const trialOrder = (only: readonly string[] = names) => {
    const at = now()
    if (at - lastTrial < TRIAL_SPACING_MS) return []
    lastTrial = at
    return [...only].sort((a, b) => health[a]!.openUntil - health[b]!.openUntil).slice(0, 1)
  }

  // One pass over `order`: resolves with the first region that answers, rejects
  // with an answer that is not an outage, or with the last outage when all failed.
  const race = <T>(order: string[], task: RegionTask<T>, hedge?: boolean) =>
    new Promise<{ region: ResolvedRegion; value: T }>((resolve, reject) => {
      const running = new Map<string, AbortController>()
      let next = 0
      let settled = false
      let lastError: unknown
      let hedgeTimer: ReturnType<typeof setTimeout> | undefined
      // Ends the race. Those still running lost a race they had a head start
      // in: they are aborted and get a soft failure (slow or gone).
      const settle = (done: () => void) => {
        settled = true
        clearTimeout(hedgeTimer)
        for (const [name, controller] of running) {
          controller.abort()
          failed(name, 1)
        }
        done()
      }
      const launch = () => {
        clearTimeout(hedgeTimer)
        const name = order[next++]
        if (settled) return
        if (name === undefined) {
          if (!running.size) settle(() => reject(lastError))
          return
        }
        const controller = new AbortController()
        running.set(name, controller)
        if (hedge && next < order.length) hedgeTimer = setTimeout(launch, hedgeDelay(health[name], config.hedgeDelayMs))
        attempt(name, task, controller).then(
          (value) => {
            running.delete(name)
            if (!settled) settle(() => resolve({ region: region(name), value }))
          },
          (err) => {
            running.delete(name)
            if (settled) return
            if (!isOutageError(err)) return settle(() => reject(err))
            lastError = err
            launch()
          },
        )
      }
      launch()
    })

  async function run<T>(task: RegionTask<T>, { only, hedge, prefer, persistMs = 0 }: RunOptions = {}) {
    let order = ranked(only)
    if (!order.length) order = trialOrder(only)
    if (prefer && order.includes(prefer)) order.sort((a, b) => +(b === prefer) - +(a === prefer))
    probeLaggards(order)
    try {
      // Regions that fail quickly (5xx) are raced again, after pauses, while `persistMs` lasts.
      return await persistently(now, persistMs, () => race(order, task, hedge))
    } catch (err) {
      // A region's real answer is passed on; outages (or no region to ask) become ALL_REGIONS_DOWN.
      if (order.length && !isOutageError(err)) throw err
      throw new RegionlessError('ALL_REGIONS_DOWN', 'No region is answering', {
        cause: err,
        retryAfterSeconds: secondsUntilRetry(only ?? names, health, now()) || Math.ceil(breaker.cooldownMs / 1000),
      })
    }
  }

  return {
    async load() {
      const saved = await readJson<HealthMap>(storage, key)
      for (const name of names) {
        const h = saved?.[name]
        if (typeof h?.failures === 'number' && typeof h.openUntil === 'number')
          health[name] = { ...health[name]!, ...h }
      }
      preferred = ranked()[0] ?? preferred
    },
    ranked,
    region,
    run,
    attempt,
    health: () => health,
  }
}
