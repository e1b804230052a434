import { describe, expect, it } from 'vitest'
import { createMemoryBudgetTable } from '../src/stores/budget-store.js'
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

describe('memory budget table (a global table with replication lag)', () => {
  const options = { since: 0, keep: 10, expiresAt: 10_000_000_000 }

  it('shows a region its own writes at once and the other regions’ after the lag', async () => {
    const clock = { ms: 1_000_000 }
    const table = createMemoryBudgetTable({ lagMs: 1000, now: () => clock.ms })
    const eu = table.forRegion('eu-west-1')
    const us = table.forRegion('us-east-1')
    await eu.record('k', 1000, options)
    expect(await eu.events('k', 0)).toEqual([1000])
    expect(await us.events('k', 0)).toEqual([])
    clock.ms += 999
    expect(await us.events('k', 0)).toEqual([])
    clock.ms += 1
    expect(await us.events('k', 0)).toEqual([1000])
    await us.record('k', 1001, options)
    expect(await us.events('k', 0)).toEqual([1000, 1001])
    expect(await eu.events('k', 0)).toEqual([1000])
  })

  it('decides on what the region sees: inside the lag, two regions both admit', async () => {
    const clock = { ms: 1_000_000 }
    const table = createMemoryBudgetTable({ lagMs: 1000, now: () => clock.ms })
    const once = { ...options, admit: (events: number[]) => events.length === 0 }
    expect((await table.forRegion('eu-west-1').record('k', 1000, once)).recorded).toBe(true)
    expect((await table.forRegion('eu-west-1').record('k', 1000, once)).recorded).toBe(false)
    expect((await table.forRegion('us-east-1').record('k', 1000, once)).recorded).toBe(true)
    clock.ms += 1000
    expect((await table.forRegion('ap-south-1').record('k', 1001, once)).recorded).toBe(false)
  })

  it('admits exactly one of many concurrent records in one region', async () => {
    const eu = createMemoryBudgetTable().forRegion('eu-west-1')
    const once = { ...options, admit: (events: number[]) => events.length === 0 }
    const results = await Promise.all(Array.from({ length: 20 }, () => eu.record('race', 1, once)))
    expect(results.filter((r) => r.recorded)).toHaveLength(1)
  })

  it('forgets expired records and refuses bad keys', async () => {
    const clock = { ms: 1_000_000 }
    const eu = createMemoryBudgetTable({ now: () => clock.ms }).forRegion('eu-west-1')
    await eu.record('k', 1000, { ...options, expiresAt: 1010 })
    clock.ms = 1_011_000
    expect(await eu.events('k', 0)).toEqual([])
    await expect(eu.record('', 1, options)).rejects.toThrow(TypeError)
    expect(() => createMemoryBudgetTable({ lagMs: -1 })).toThrow(TypeError)
  })
})
