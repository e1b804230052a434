import { describe, expect, it } from 'vitest'
import { createMemorySendThrottle } from '../src/stores/send-throttle.js'
import { createMemorySingleUseStore } from '../src/stores/single-use-store.js'

describe('memory single-use store', () => {
  it('answers true once per key, keeps keys until they expire, then forgets them', async () => {
    const clock = { ms: 1_000_000 }
    const store = createMemorySingleUseStore({ now: () => clock.ms })
    expect(await store.consume('link#a', 1_100)).toBe(true)
    expect(await store.consume('link#a', 1_100)).toBe(false)
    expect(await store.consume('bridge#a', 1_100)).toBe(true)
    clock.ms = 1_050_000
    expect(await store.consume('link#a', 1_100)).toBe(false)
    clock.ms = 1_200_000 // past expiry and past the sweep interval
    expect(await store.consume('link#a', 1_300)).toBe(true)
    await expect(store.consume('', 1)).rejects.toThrow(TypeError)
  })

  it('lets exactly one of many concurrent redemptions win', async () => {
    const store = createMemorySingleUseStore()
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.consume('link#race', Date.now() / 1000 + 60)),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
  })
})

describe('memory send throttle', () => {
  it('enforces the interval per key and reports the wait', async () => {
    const throttle = createMemorySendThrottle()
    expect(await throttle.acquire('send#a', 30, 100)).toEqual({ allowed: true })
    expect(await throttle.acquire('send#a', 30, 100.5)).toEqual({ allowed: false, retryAfterSeconds: 30 })
    expect(await throttle.acquire('send#b', 30, 101)).toEqual({ allowed: true })
    expect(await throttle.acquire('send#a', 30, 129)).toEqual({ allowed: false, retryAfterSeconds: 1 })
    expect(await throttle.acquire('send#a', 30, 130)).toEqual({ allowed: true })
    expect(await throttle.acquire('send#a', 0, 130)).toEqual({ allowed: true })
  })
})
