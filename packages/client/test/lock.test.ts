import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryStorage } from '../src/index.js'
import { createLock } from '../src/lock.js'

describe('cross-tab lock (storage lease fallback)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs one holder at a time across two tabs sharing storage', async () => {
    const storage = memoryStorage()
    const tabA = createLock(storage, Date.now)
    const tabB = createLock(storage, Date.now)
    const log: string[] = []
    let releaseA!: () => void
    const a = tabA('refresh', async () => {
      log.push('A in')
      await new Promise<void>((resolve) => {
        releaseA = resolve
      })
      log.push('A out')
    })
    await vi.advanceTimersByTimeAsync(0)
    const b = tabB('refresh', async () => {
      log.push('B in')
    })
    await vi.advanceTimersByTimeAsync(500)
    expect(log).toEqual(['A in'])
    releaseA()
    await a
    await vi.advanceTimersByTimeAsync(100)
    await b
    expect(log).toEqual(['A in', 'A out', 'B in'])
    expect(await storage.getItem('refresh.lease')).toBeNull()
  })

  it('takes over a lease whose tab died', async () => {
    const storage = memoryStorage()
    await storage.setItem('refresh.lease', JSON.stringify({ owner: 'dead-tab', until: Date.now() + 10_000 }))
    const lock = createLock(storage, Date.now)
    let ran = false
    const done = lock('refresh', async () => {
      ran = true
    })
    await vi.advanceTimersByTimeAsync(9_000)
    expect(ran).toBe(false)
    await vi.advanceTimersByTimeAsync(1_100)
    await done
    expect(ran).toBe(true)
  })

  it('queues callers inside one tab and survives a failing holder', async () => {
    const lock = createLock(memoryStorage(), Date.now)
    const order: number[] = []
    const first = lock('x', async () => {
      order.push(1)
      throw new Error('boom')
    })
    const second = lock('x', async () => {
      order.push(2)
      return 'ok'
    })
    await expect(first).rejects.toThrow('boom')
    expect(await second).toBe('ok')
    expect(order).toEqual([1, 2])
  })
})
