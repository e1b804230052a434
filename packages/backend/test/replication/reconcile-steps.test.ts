import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import { createReconcileSteps, ShardRepairError } from '../../src/replication/reconcile-steps.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'

const name = (i: number) => `u_${i.toString(16).padStart(32, '0')}`
const stamped = (at: number, attributes: Record<string, string>) => ({
  ...attributes,
  [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
})

function setup() {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  for (let i = 0; i < 50; i++) {
    const attrs = { email: `p${i}@example.com`, email_verified: 'true' }
    eu.seed(name(i), stamped(100, attrs))
    us.seed(name(i), i === 7 ? stamped(200, { ...attrs, name: 'Seven' }) : stamped(100, attrs))
  }
  const dlq = fakeQueue()
  dlq.mock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } })
  const lines: string[] = []
  const metrics: string[] = []
  const options = (a: typeof eu, b: typeof us) => ({
    pools: [a.peer, b.peer],
    missing: 'report' as const,
    listUsersRps: 1000,
    shardConcurrency: 4,
    otherUsernames: false,
    deadLetterQueues: [{ region: 'eu-west-1', client: dlq.client, queueUrl: dlq.queueUrl }],
    log: (l: string) => lines.push(l),
    metrics: (l: string) => metrics.push(l),
    sleep: async () => {},
  })
  const steps = createReconcileSteps(options(eu, us))
  return { eu, us, steps, lines, metrics, options }
}

describe('the scheduled reconcile’s steps (what the Step Functions map calls)', () => {
  it('plans the shards from the pools’ size, reconciles one shard per call with its own metrics, then reports', async () => {
    const { eu, us, steps, lines, metrics, options } = setup()
    const plan = (await steps({ step: 'plan' })) as { depth: number; shards: { shard: string }[] }
    expect(plan.depth).toBe(1)
    // Each region's run takes every other shard (two regions), so none is done twice.
    expect(plan.shards.map((s) => s.shard)).toEqual([...'02468ace'].map((d) => `u_${d}`))
    const usRun = createReconcileSteps({ ...options(eu, us), pools: [us.peer, eu.peer] })
    const usPlan = (await usRun({ step: 'plan' })) as { shards: { shard: string }[] }
    expect(usPlan.shards.map((s) => s.shard)).toEqual([...'13579bdf'].map((d) => `u_${d}`))
    // Every test username starts u_0: that shard holds the drift, the others are empty.
    expect(await steps({ step: 'shard', shard: 'u_4' })).toEqual({})
    expect(await steps({ step: 'shard', shard: 'u_0' })).toEqual({})
    expect(eu.users.get(name(7))?.attributes.name).toBe('Seven')
    expect(lines.some((l) => l.includes('"users":{"eu-west-1":50,"us-east-1":50}') && l.includes('"applied":1'))).toBe(
      true,
    )
    expect(metrics.map((m) => JSON.parse(m))).toContainEqual(
      expect.objectContaining({ Job: 'reconcile', ReplicationDriftRepaired: 1, ReplicationUnresolved: 0 }),
    )
    expect(lines.some((l) => l.includes('"event":"reconcile.shard"'))).toBe(true)
    expect(await steps({ step: 'report' })).toEqual({ dlqDepth: { 'eu-west-1': 2 } })
  })

  it('fails a plan it cannot size, so Step Functions retries it instead of guessing', async () => {
    const { eu, steps } = setup()
    const send = eu.client.send.bind(eu.client)
    eu.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) =>
      command.constructor.name === 'DescribeUserPoolCommand'
        ? Promise.reject(eu.error('InternalErrorException'))
        : (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest)) as typeof eu.client.send
    await expect(steps({ step: 'plan' })).resolves.toMatchObject({ depth: 1 }) // us-east-1 still answers
  })

  it('throws when a shard’s repairs fail, so Step Functions retries it, and refuses what is not a shard', async () => {
    const { eu, us, steps } = setup()
    // eu's copy of user 7 is now the newer one, and every write to us fails: the repair cannot land.
    us.seed(name(7), stamped(50, { email: 'p7@example.com', email_verified: 'true' }))
    const writes = us.client.send.bind(us.client)
    us.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) =>
      command.constructor.name.startsWith('Admin')
        ? Promise.reject(us.error('InternalErrorException'))
        : (writes as (...args: unknown[]) => Promise<unknown>)(command, ...rest)) as typeof us.client.send
    await expect(steps({ step: 'shard', shard: 'u_0' })).rejects.toBeInstanceOf(ShardRepairError)
    us.client.send = writes
    await expect(steps({ step: 'shard', shard: 'u_0"' })).rejects.toThrow(TypeError)
    await expect(steps({ step: 'shard', shard: 'u_0' })).resolves.toEqual({}) // the retry
    expect(us.users.get(name(7))?.attributes).toEqual(eu.users.get(name(7))?.attributes)
  })
})
