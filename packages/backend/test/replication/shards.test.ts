import { describe, expect, it } from 'vitest'
import { usernameForEmail } from '../../src/identity/stable-username.js'
import { etaSeconds, progressLine } from '../../src/replication/run-progress.js'
import {
  belongsToShard,
  isShard,
  OTHER_USERNAMES_SHARD,
  runShards,
  shardDepthFor,
  shardFilter,
  shardPrefixes,
} from '../../src/replication/shards.js'

describe('shards', () => {
  it('cut the stable usernames into 16^depth prefixes that cover each username exactly once', () => {
    expect(shardPrefixes(1)).toEqual([...'0123456789abcdef'].map((d) => `u_${d}`))
    const prefixes = shardPrefixes(2)
    expect(prefixes).toHaveLength(256)
    for (let i = 0; i < 200; i++) {
      const username = usernameForEmail(`person-${i}@example.com`)
      expect(prefixes.filter((p) => belongsToShard(username, p))).toHaveLength(1)
      expect(belongsToShard(username, OTHER_USERNAMES_SHARD)).toBe(false)
    }
    expect(belongsToShard('ada', OTHER_USERNAMES_SHARD)).toBe(true)
    // Exactly one shard for names that look almost stable, whatever their case.
    const upper = `U_${'A'.repeat(32)}`
    for (const odd of ['u_ab_admin', 'u_abc', upper, `u_${'A'.repeat(32)}`]) {
      const holders = [...shardPrefixes(1), OTHER_USERNAMES_SHARD].filter((p) => belongsToShard(odd, p))
      expect(holders).toEqual([OTHER_USERNAMES_SHARD])
    }
    expect(() => shardPrefixes(0)).toThrow(RangeError)
    expect(() => shardPrefixes(5)).toThrow(RangeError)
  })

  it('choose the smallest depth whose shards hold at most the target', () => {
    expect(shardDepthFor(0)).toBe(1)
    expect(shardDepthFor(64_000)).toBe(1)
    expect(shardDepthFor(100_000)).toBe(2)
    expect(shardDepthFor(1_000_000)).toBe(2)
    expect(shardDepthFor(10_000_000)).toBe(3)
    expect(shardDepthFor(1e12)).toBe(4)
  })

  it('list a shard with a username prefix filter, and refuse anything that is not a shard', () => {
    expect(shardFilter('u_3a')).toBe('username ^= "u_3a"')
    expect(shardFilter(OTHER_USERNAMES_SHARD)).toBeUndefined()
    for (const bad of ['u_', 'u_3A', 'x_3a', 'u_3a"', 'u_12345']) {
      expect(isShard(bad)).toBe(false)
      expect(() => shardFilter(bad)).toThrow(RangeError)
    }
    expect(runShards(1, true)).toHaveLength(17)
  })
})

describe('progress', () => {
  const base = { resumed: 0, usersRead: 31_250, pages: 521, planned: 12, applied: 0, failed: 0, elapsedMs: 17_000 }

  it('estimates the time left from this attempt’s pace, resumed shards excluded', () => {
    expect(etaSeconds({ ...base, shards: { done: 0, total: 16 } })).toBeUndefined()
    expect(etaSeconds({ ...base, shards: { done: 5, total: 16 } })).toBe(37)
    // Four shards came from the checkpoint: one shard in 17 s, eleven left.
    expect(etaSeconds({ ...base, resumed: 4, shards: { done: 5, total: 16 } })).toBe(187)
  })

  it('draws a bar with shards, users, repairs, rate and ETA', () => {
    const line = progressLine({ ...base, shards: { done: 5, total: 16 } })
    expect(line).toBe(
      '[######··············]  31% shards 5/16 · 31,250 users read · 12 repairs · 1,838 users/s · ETA 37s',
    )
    expect(progressLine({ ...base, shards: { done: 16, total: 16 }, elapsedMs: 75_000 })).toContain('done in 1m15s')
  })
})
