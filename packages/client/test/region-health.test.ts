import { describe, expect, it } from 'vitest'
import {
  breakerState,
  hedgeDelay,
  initialHealth,
  rankRegions,
  recordFailure,
  recordSuccess,
  secondsUntilRetry,
} from '../src/region-health.js'

const settings = { failureThreshold: 2, cooldownMs: 10_000, maxCooldownMs: 40_000 }
const fresh = () => initialHealth(settings)

describe('region health', () => {
  it('opens the breaker after the threshold, and at once for a heavy failure', () => {
    const once = recordFailure(fresh(), 0, settings)
    expect(breakerState(once, 0)).toBe('closed')
    const twice = recordFailure(once, 1, settings)
    expect(twice.openUntil).toBe(10_001)
    expect(breakerState(twice, 5_000)).toBe('open')
    expect(breakerState(recordFailure(fresh(), 0, settings, 2), 1)).toBe('open')
  })

  it('goes half-open after the cool-down, doubles it on a failed trial (capped) and closes on success', () => {
    const open = recordFailure(fresh(), 0, settings, 2)
    expect(breakerState(open, 10_000)).toBe('half-open')
    const reopened = recordFailure(open, 10_000, settings)
    expect(reopened).toMatchObject({ openUntil: 30_000, cooldownMs: 20_000 })
    const again = recordFailure(reopened, 30_000, settings)
    const capped = recordFailure(again, again.openUntil, settings)
    expect(capped.cooldownMs).toBe(40_000)
    const closed = recordSuccess(capped, 50, settings)
    expect(closed).toMatchObject({ failures: 0, openUntil: 0, cooldownMs: 10_000, latencyMs: 50 })
  })

  it('averages latency', () => {
    const h = recordSuccess(recordSuccess(fresh(), 100, settings), 200, settings)
    expect(h.latencyMs).toBe(130)
  })

  it('prefers the healthy home, then fewer failures and lower latency, and leaves open regions out', () => {
    const names = ['a', 'b', 'c']
    const health = {
      a: fresh(),
      b: recordSuccess(fresh(), 10, settings),
      c: recordSuccess(fresh(), 50, settings),
    }
    expect(rankRegions(names, health, 'c', 0)).toEqual(['c', 'a', 'b'])
    const homeFailed = { ...health, c: recordFailure(health.c, 0, settings) }
    expect(rankRegions(names, homeFailed, 'c', 0)).toEqual(['a', 'b', 'c'])
    const homeOpen = { ...health, c: recordFailure(health.c, 0, settings, 2) }
    expect(rankRegions(names, homeOpen, 'c', 0)).toEqual(['a', 'b'])
    expect(rankRegions(names, homeOpen, 'c', 10_000)).toEqual(['a', 'b', 'c'])
    expect(secondsUntilRetry(names, homeOpen, 2_500)).toBe(8)
  })

  it('hedges after a multiple of the known latency, within bounds', () => {
    expect(hedgeDelay(undefined, 400)).toBe(400)
    expect(hedgeDelay(recordSuccess(fresh(), 10, settings), 400)).toBe(200)
    expect(hedgeDelay(recordSuccess(fresh(), 100, settings), 400)).toBe(400)
    expect(hedgeDelay(recordSuccess(fresh(), 5_000, settings), 400)).toBe(2_000)
  })
})
