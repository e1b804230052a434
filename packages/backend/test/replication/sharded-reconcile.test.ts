import { access, mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { usernameForEmail } from '../../src/identity/stable-username.js'
import type { Peer } from '../../src/replication/apply-change.js'
import { CHANGED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import { CheckpointMismatchError, createFileCheckpoint } from '../../src/replication/checkpoint.js'
import type { RateLimiter } from '../../src/replication/rate-limit.js'
import { backfillPool, reconcilePools } from '../../src/replication/reconcile.js'
import type { Repair } from '../../src/replication/reconcile-plan.js'
import type { RunProgress } from '../../src/replication/run-progress.js'
import { runRepairs } from '../../src/replication/run-repairs.js'
import { type FakePool, fakePool, throttled } from '../helpers/fake-pool.js'

const stamped = (at: number, attributes: Record<string, string>) => ({
  ...attributes,
  [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
})

/** Two pools of `n` users spread over every hex prefix; every tenth user has newer attributes in us-east-1. */
function pools(n: number) {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  for (let i = 0; i < n; i++) {
    const username = usernameForEmail(`p${i}@example.com`)
    const attrs = { email: `p${i}@example.com`, email_verified: 'true' }
    eu.seed(username, stamped(100, attrs))
    us.seed(username, i % 10 === 0 ? stamped(200, { ...attrs, name: `P${i}` }) : stamped(100, attrs))
  }
  return { eu, us }
}

/** A peer whose ListUsers of one shard fails (a pool that cannot be read, for that shard only). */
function failingShard(pool: FakePool, shard: string): Peer & { failing: { on: boolean } } {
  const failing = { on: true }
  const client = {
    send(command: unknown, options?: unknown) {
      if (failing.on && command instanceof ListUsersCommand && command.input.Filter === `username ^= "${shard}"`)
        return Promise.reject(Object.assign(new Error('Internal error'), { name: 'InternalErrorException' }))
      return pool.client.send(command as never, options as never)
    },
  }
  return { ...pool.peer, client: client as unknown as Peer['client'], failing }
}

const listFilters = (pool: FakePool) =>
  pool.calls.filter((c) => c.command === 'ListUsers').map((c) => c.input.Filter as string | undefined)

describe('sharded reconcile', () => {
  it('reads every pool one shard at a time, never whole, and repairs every drifted user', async () => {
    const { eu, us } = pools(400)
    const progress: RunProgress[] = []
    const report = await reconcilePools({
      pools: [eu.peer, us.peer],
      shardDepth: 1,
      onProgress: (p) => progress.push(p),
      metrics: () => {},
    })
    expect(report.users).toEqual({ 'eu-west-1': 400, 'us-east-1': 400 })
    expect(report.plannedCount).toBe(40)
    expect(report.result).toMatchObject({ applied: 40, failed: 0 })
    for (const pool of [eu, us]) {
      const filters = listFilters(pool)
      expect(filters.every((f) => f !== undefined && /^username \^= "u_[0-9a-f]"$/.test(f))).toBe(true)
      expect(new Set(filters).size).toBe(16)
    }
    expect(progress.at(-1)).toMatchObject({ shards: { done: 16, total: 16 }, planned: 40 })
    const again = await reconcilePools({ pools: [eu.peer, us.peer], shardDepth: 1, metrics: () => {} })
    expect(again.plannedCount).toBe(0)
  })

  it('resumes from its checkpoint: a failed shard is reported, and the next run reads only that shard', async () => {
    const { eu, us } = pools(300)
    const flaky = failingShard(us, 'u_3')
    const file = join(await mkdtemp(join(tmpdir(), 'rl-checkpoint-')), 'reconcile.checkpoint')
    const runKey = 'reconcile eu-west-1_test us-east-1_test depth 1'
    const first = await reconcilePools({
      pools: [eu.peer, flaky],
      shardDepth: 1,
      checkpoint: createFileCheckpoint(file, runKey),
      sleep: async () => {},
      metrics: () => {},
    })
    expect(first.shards.failed.map((f) => f.shard)).toEqual(['u_3'])
    expect(first.shards.failed[0]?.error).toContain('InternalErrorException')
    const repairedFirst = first.result?.applied ?? 0
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(16) // the key and 15 shards

    // The checkpoint of this unfinished run is refused by any other run.
    await expect(
      reconcilePools({
        pools: [eu.peer, us.peer],
        shardDepth: 2,
        checkpoint: createFileCheckpoint(file, 'reconcile eu-west-1_test us-east-1_test depth 2'),
        metrics: () => {},
      }),
    ).rejects.toThrow(CheckpointMismatchError)

    flaky.failing.on = false
    eu.calls.length = 0
    const second = await reconcilePools({
      pools: [eu.peer, flaky],
      shardDepth: 1,
      checkpoint: createFileCheckpoint(file, runKey),
      sleep: async () => {},
      metrics: () => {},
    })
    expect(listFilters(eu)).toEqual(['username ^= "u_3"'])
    expect(second.shards).toMatchObject({ resumed: 15, failed: [] })
    expect(second.users).toEqual({ 'eu-west-1': 300, 'us-east-1': 300 })
    const inShard3 = [...us.users.values()].filter((u) => u.username.startsWith('u_3') && u.attributes.name).length
    expect(repairedFirst).toBe(30 - inShard3) // the drifted users but those in u_3
    expect(second.plannedCount).toBe(30) // the resumed shards' repairs are counted once, from the checkpoint
    expect(second.result?.applied).toBe(30)
    const check = await reconcilePools({ pools: [eu.peer, us.peer], shardDepth: 1, metrics: () => {} })
    expect(check.plannedCount).toBe(0)

    await expect(access(file)).rejects.toThrow() // a run that finished every shard leaves no checkpoint
  })

  it('spends its share of the ListUsers quota: throttled pages are retried at a lower rate, nothing is lost', async () => {
    const { eu, us } = pools(200)
    us.failNext(throttled(), throttled(), throttled())
    const report = await reconcilePools({
      pools: [eu.peer, us.peer],
      shardDepth: 1,
      listUsersRps: 1_000,
      metrics: () => {},
    })
    expect(report.shards.failed).toEqual([])
    expect(report.users).toEqual({ 'eu-west-1': 200, 'us-east-1': 200 })
    expect(report.result).toMatchObject({ applied: 20, failed: 0 })
  })

  it('holds repairs to the region’s share of its write quotas: each waits for the limiter, a throttle slows it', async () => {
    const { us } = pools(0)
    const counted = { takes: 0, throttles: 0 }
    const limiter: RateLimiter = {
      take: async () => {
        counted.takes++
      },
      throttled: () => {
        counted.throttles++
      },
      rate: 5,
    }
    const repairs: Repair[] = Array.from({ length: 6 }, (_, i) => ({
      region: 'us-east-1',
      reason: 'missing',
      change: {
        kind: 'upsert',
        username: usernameForEmail(`w${i}@example.com`),
        attributes: { email: `w${i}@example.com`, email_verified: 'true' },
        changedAt: 100,
      },
    }))
    us.failNext(throttled())
    const summary = await runRepairs(repairs, [us.peer], {
      limiters: new Map([['us-east-1', limiter]]),
      sleep: async () => {},
    })
    expect(summary).toMatchObject({ applied: 6, failed: 0 })
    expect(counted).toEqual({ takes: 7, throttles: 1 }) // six repairs and the throttled one's retry
  })

  it('backfills shard by shard into the target only', async () => {
    const { eu } = pools(250)
    const ap = fakePool('ap-south-1')
    const report = await backfillPool({ from: eu.peer, to: ap.peer, shardDepth: 1 })
    expect(report.result).toMatchObject({ applied: 250, failed: 0 })
    expect(ap.users.size).toBe(250)
    expect(eu.names().every((n) => n === 'ListUsers')).toBe(true)
    expect((await backfillPool({ from: eu.peer, to: ap.peer, shardDepth: 1 })).plannedCount).toBe(0)
  })
})
