// Pure health bookkeeping per region: a score from real calls plus a circuit
// breaker. No I/O and no clock of its own, so it is tested with plain numbers.

/** What the client knows about one region. Serialisable: it is kept in storage across reloads. */
export interface RegionHealth {
  /** Consecutive failure weight since the last success. */
  failures: number
  /** Breaker open until this time (ms since epoch); 0 when closed. */
  openUntil: number
  /** The cool-down the next opening uses; doubles while trials keep failing. */
  cooldownMs: number
  /** Moving average of successful call latencies, null until one succeeded. */
  latencyMs: number | null
}

export type HealthMap = Record<string, RegionHealth>
export type BreakerState = 'closed' | 'open' | 'half-open'

export interface BreakerSettings {
  failureThreshold: number
  cooldownMs: number
  maxCooldownMs: number
}

export const initialHealth = (settings: BreakerSettings): RegionHealth => ({
  failures: 0,
  openUntil: 0,
  cooldownMs: settings.cooldownMs,
  latencyMs: null,
})

/** Open: keep away. Half-open: the cool-down is over, one trial may go there. */
export function breakerState(health: RegionHealth, now: number): BreakerState {
  if (health.openUntil === 0) return 'closed'
  return health.openUntil > now ? 'open' : 'half-open'
}

export const recordSuccess = (health: RegionHealth, latencyMs: number, settings: BreakerSettings): RegionHealth => ({
  ...initialHealth(settings),
  latencyMs: health.latencyMs === null ? latencyMs : Math.round(health.latencyMs * 0.7 + latencyMs * 0.3),
})

/**
 * Counts a failure. A time-out should pass `weight = failureThreshold`: it
 * already cost a full wait, so the breaker opens at once. A failed trial of a
 * half-open region reopens it with twice the cool-down.
 */
export function recordFailure(health: RegionHealth, now: number, settings: BreakerSettings, weight = 1): RegionHealth {
  const next = { ...health, failures: health.failures + weight }
  const state = breakerState(health, now)
  if (state === 'half-open') next.cooldownMs = Math.min(health.cooldownMs * 2, settings.maxCooldownMs)
  if (state === 'half-open' || (state === 'closed' && next.failures >= settings.failureThreshold))
    next.openUntil = now + next.cooldownMs
  return next
}

/**
 * Orders the regions worth trying, best first: closed breakers before
 * half-open ones; the home region first while it has no recent failure; then
 * fewer failures, lower latency, configuration order (the sort is stable).
 * Open regions are left out.
 */
export function rankRegions(names: readonly string[], health: HealthMap, home: string, now: number): string[] {
  const key = (name: string) => {
    const h = health[name]!
    return [h.openUntil ? 1 : 0, name === home && !h.failures ? 0 : 1, h.failures, h.latencyMs ?? 0]
  }
  return names
    .filter((name) => health[name]!.openUntil <= now) // open breakers keep their region out
    .sort((a, b) => {
      const kb = key(b)
      return (
        key(a)
          .map((k, i) => k - kb[i]!)
          .find((d) => d !== 0) ?? 0
      )
    })
}

/** Seconds until the first open breaker among `names` turns half-open. */
export function secondsUntilRetry(names: readonly string[], health: HealthMap, now: number): number {
  const waits = names.map((n) => health[n]!.openUntil - now).filter((ms) => ms > 0)
  return waits.length ? Math.ceil(Math.min(...waits) / 1000) : 0
}

/** How long to wait for a safe call before also asking the next region. */
export const hedgeDelay = (health: RegionHealth | undefined, fallbackMs: number): number =>
  health?.latencyMs == null ? fallbackMs : Math.min(Math.max(health.latencyMs * 4, 200), 2_000)
