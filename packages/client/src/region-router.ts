import type { ResolvedConfig, ResolvedRegion } from './config.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
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

/** Work to do in one region; the signal aborts it when another region won. */
export type RegionTask<T> = (region: ResolvedRegion, signal: AbortSignal) => Promise<T>

export interface RunOptions {
  /** Regions allowed for this task; default all. */
  only?: readonly string[]
  /** Safe to send to several regions at once (no email, no state change): start the next region after a delay. */
  hedge?: boolean
}

export interface RegionRouter {
  /** Loads health kept by an earlier page load. */
  load(): Promise<void>
  /** Regions worth trying now, best first. */
  ranked(only?: readonly string[]): string[]
  region(name: string): ResolvedRegion
  /** Runs a task in the best region, moving on to the next one on outage errors. */
  run<T>(task: RegionTask<T>, options?: RunOptions): Promise<{ region: ResolvedRegion; value: T }>
  /** Runs a task in one region and records how it went. */
  attempt<T>(name: string, task: RegionTask<T>, signal?: AbortSignal): Promise<T>
  health(): HealthMap
}

/**
 * Region choice with health kept in storage. `probe` is a cheap call used to
 * check, in the background, whether a region whose breaker cooled down is back.
 */
export function createRegionRouter(
  config: ResolvedConfig,
  storage: StorageAdapter,
  probe: (region: ResolvedRegion) => Promise<unknown>,
  onPreferredChange: (from: string, to: string) => void,
): RegionRouter {
  const names = config.regions.map((r) => r.region)
  const key = `${config.storageKey}.health`
  let health: HealthMap = Object.fromEntries(names.map((n) => [n, initialHealth(config.breaker)]))
  let preferred = names.includes(config.homeRegion) ? config.homeRegion : names[0]!
  const probing = new Set<string>()
  let writing: Promise<void> = Promise.resolve()

  const region = (name: string) => config.regions.find((r) => r.region === name)!
  const ranked = (only?: readonly string[]) =>
    rankRegions(only ? names.filter((n) => only.includes(n)) : names, health, config.homeRegion, config.now())

  const changed = () => {
    writing = writing.then(() => writeJson(storage, key, health)).catch(() => undefined)
    const best = ranked()[0]
    if (best && best !== preferred) {
      const from = preferred
      preferred = best
      onPreferredChange(from, best)
    }
  }

  const update = (name: string, next: RegionHealth) => {
    health = { ...health, [name]: next }
    changed()
  }
  const succeeded = (name: string, latencyMs: number) =>
    update(name, recordSuccess(health[name]!, latencyMs, config.breaker))
  const failed = (name: string, weight: number) =>
    update(name, recordFailure(health[name]!, config.now(), config.breaker, weight))

  // A region ranked behind a healthy one because of failures (half-open, or
  // closed with failures) gets a background probe, at most once per cool-down,
  // instead of a user's request: that is how a recovered home gets its traffic back.
  const probedAt = new Map<string, number>()
  const probeLaggards = (order: string[]) => {
    const now = config.now()
    for (const name of order.slice(1)) {
      if (health[name]!.failures === 0 || probing.has(name)) continue
      if (now - (probedAt.get(name) ?? -Infinity) < config.breaker.cooldownMs) continue
      probedAt.set(name, now)
      probing.add(name)
      void attempt(name, (r) => probe(r))
        .catch(() => undefined)
        .finally(() => probing.delete(name))
    }
  }

  async function attempt<T>(name: string, task: RegionTask<T>, signal?: AbortSignal): Promise<T> {
    const controller = new AbortController()
    const abort = () => controller.abort(signal?.reason)
    signal?.addEventListener('abort', abort, { once: true })
    const started = config.now()
    try {
      const value = await task(region(name), controller.signal)
      succeeded(name, config.now() - started)
      return value
    } catch (err) {
      if (controller.signal.aborted) throw err
      // Any answer that is not an outage proves the region is up.
      // A time-out already cost a full wait: it opens the breaker at once.
      if (isOutageError(err)) failed(name, hasCode(err, 'TIMEOUT') ? config.breaker.failureThreshold : 1)
      else succeeded(name, config.now() - started)
      throw err
    } finally {
      signal?.removeEventListener('abort', abort)
    }
  }

  function allDown(only: readonly string[] | undefined, cause?: unknown): RegionlessError {
    const retryAfterSeconds = secondsUntilRetry(only ?? names, health, config.now())
    return new RegionlessError('ALL_REGIONS_DOWN', 'No region is answering', {
      cause,
      retryAfterSeconds: retryAfterSeconds || Math.ceil(config.breaker.cooldownMs / 1000),
    })
  }

  function run<T>(task: RegionTask<T>, options: RunOptions = {}): Promise<{ region: ResolvedRegion; value: T }> {
    const order = ranked(options.only)
    if (order.length === 0) return Promise.reject(allDown(options.only))
    probeLaggards(order)
    return new Promise((resolve, reject) => {
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
        if (settled) return
        const name = order[next++]
        if (name === undefined) {
          if (running.size === 0) settle(() => reject(allDown(options.only, lastError)))
          return
        }
        const controller = new AbortController()
        running.set(name, controller)
        if (options.hedge && next < order.length) {
          hedgeTimer = setTimeout(launch, hedgeDelay(health[name], config.hedgeDelayMs))
        }
        attempt(name, task, controller.signal).then(
          (value) => {
            running.delete(name)
            if (!settled) settle(() => resolve({ region: region(name), value }))
          },
          (err) => {
            running.delete(name)
            if (settled || controller.signal.aborted) return
            if (!isOutageError(err)) return settle(() => reject(err))
            lastError = err
            launch()
          },
        )
      }
      launch()
    })
  }

  return {
    async load() {
      const saved = await readJson<HealthMap>(storage, key)
      if (!saved || typeof saved !== 'object') return
      for (const name of names) {
        const h = saved[name]
        if (h && typeof h.failures === 'number' && typeof h.openUntil === 'number')
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
