import { describe, expect, it } from 'vitest'
import { createRateLimiter } from '../../src/replication/rate-limit.js'

/** A clock that only moves when the limiter sleeps. */
function virtualClock() {
  let t = 0
  const sleep = async (ms: number) => {
    t += ms
  }
  return { now: () => t, sleep, at: () => t }
}

describe('rate limiter', () => {
  it('holds a rate: 50 requests at 10/s take about 4 s after a one-second burst', async () => {
    const clock = virtualClock()
    const limiter = createRateLimiter({ rps: 10, now: clock.now, sleep: clock.sleep })
    for (let i = 0; i < 50; i++) await limiter.take()
    expect(clock.at()).toBeGreaterThanOrEqual(3_900)
    expect(clock.at()).toBeLessThanOrEqual(4_100)
  })

  it('halves its rate when throttled and climbs back when Cognito stops throttling', async () => {
    const clock = virtualClock()
    const limiter = createRateLimiter({ rps: 20, now: clock.now, sleep: clock.sleep })
    limiter.throttled()
    expect(limiter.rate).toBe(10)
    limiter.throttled()
    limiter.throttled()
    limiter.throttled()
    limiter.throttled()
    expect(limiter.rate).toBe(2) // its floor: a tenth of the share
    for (let i = 0; i < 100; i++) await limiter.take()
    expect(limiter.rate).toBeGreaterThan(19.9) // about ten seconds of quiet brings the full share back
    await clock.sleep(1_000)
    await limiter.take()
    expect(limiter.rate).toBe(20)
  })

  it('serves waiters in order and refuses a rate that is not positive', async () => {
    const clock = virtualClock()
    const limiter = createRateLimiter({ rps: 2, now: clock.now, sleep: clock.sleep })
    const order: number[] = []
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.take().then(() => order.push(i))))
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(() => createRateLimiter({ rps: 0 })).toThrow(RangeError)
    expect(() => createRateLimiter({ rps: Number.NaN })).toThrow(RangeError)
  })
})
