import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, ENABLED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import { createMessage } from '../../src/replication/message.js'
import { backfillPool, reconcilePools, summarise } from '../../src/replication/reconcile.js'
import { redriveDeadLetters } from '../../src/replication/redrive.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'

const name = (i: number) => `u_${String(i).padStart(32, '0')}`
// A copy as replication leaves it: the attributes and the version stamp of exactly those.
const stamped = (at: number, attributes: Record<string, string>) => ({
  ...attributes,
  [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
})

function drifted() {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  // 130 users (three ListUsers pages) everywhere…
  for (let i = 0; i < 130; i++) {
    const attrs = { email: `p${i}@example.com`, email_verified: 'true' }
    eu.seed(name(i), stamped(100, attrs))
    us.seed(name(i), stamped(100, attrs))
  }
  // …then drift: a user only in eu (replication lost), newer attributes in us,
  // a disable that did not reach eu, and a deleted user still in us.
  eu.seed(name(200), stamped(300, { email: 'only-eu@example.com', email_verified: 'true' }))
  us.seed(name(1), stamped(400, { email: 'p1@example.com', email_verified: 'true', name: 'New' }))
  Object.assign(us.users.get(name(2)) ?? {}, { enabled: false })
  Object.assign(us.users.get(name(2))?.attributes ?? {}, { [ENABLED_AT_ATTRIBUTE]: '500' })
  us.seed(name(300), stamped(100, { email: 'gone@example.com', email_verified: 'true' }))
  return { eu, us }
}

const snapshot = (pool: ReturnType<typeof fakePool>) =>
  [...pool.users.values()]
    .map((u) => ({ username: u.username, attributes: u.attributes, enabled: u.enabled, status: u.status }))
    .sort((a, b) => a.username.localeCompare(b.username))

describe('reconcile', () => {
  it('repairs missing users, attribute and enabled drift, and applies tombstones; a second run finds nothing', async () => {
    const { eu, us } = drifted()
    const tombstones = createMemoryTombstoneStore()
    await tombstones.put(name(300), 150)
    // A tombstone store alone does not make reconcile re-create: a delete may have left none (issue 17).
    const cautious = await reconcilePools({ pools: [eu.peer, us.peer], tombstones, dryRun: true, metrics: () => {} })
    expect(cautious.unresolved.map((u) => u.username.slice(-3))).toEqual(['200'])
    expect(cautious.planned.some((r) => r.reason === 'missing')).toBe(false)
    const lines: string[] = []
    const report = await reconcilePools({
      pools: [eu.peer, us.peer],
      tombstones,
      missing: 'create',
      progress: (l) => lines.push(l),
      metrics: () => {},
    })
    expect(report.users).toEqual({ 'eu-west-1': 131, 'us-east-1': 131 })
    expect(report.planned.map((r) => `${r.reason}:${r.region}:${r.change.username.slice(-3)}`).sort()).toEqual(
      ['attributes:eu-west-1:001', 'deleted:us-east-1:300', 'enabled:eu-west-1:002', 'missing:us-east-1:200'].sort(),
    )
    expect(report.result).toMatchObject({ applied: 4, failed: 0 })
    expect(snapshot(eu)).toEqual(snapshot(us))
    expect(eu.users.get(name(1))?.attributes.name).toBe('New')
    expect(us.users.has(name(300))).toBe(false)
    expect(lines).toContain('16 shards (depth 1), 4 at a time') // 131 users: DescribeUserPool's estimate
    const again = await reconcilePools({ pools: [eu.peer, us.peer], tombstones, metrics: () => {} })
    expect(again.planned).toEqual([])
    expect(summarise(again)).toContain('nothing to do')
  })

  it('sends an edit whose lifecycle event never came to every pool, newer than its stamp', async () => {
    const { eu, us } = drifted()
    // Edited in us-east-1 after its stamp (100), and the edit's CloudTrail event was lost. As text the edited
    // set sorts first, so only the digest tells that us-east-1 holds the newer version.
    Object.assign(us.users.get(name(7))?.attributes ?? {}, { 'custom:plan': 'pro' })
    const report = await reconcilePools({ pools: [eu.peer, us.peer], missing: 'create', metrics: () => {} })
    expect(report.planned.filter((r) => r.change.username === name(7)).map((r) => r.region)).toEqual([
      'eu-west-1',
      'us-east-1',
    ])
    const edited = { email: 'p7@example.com', email_verified: 'true', 'custom:plan': 'pro' }
    for (const pool of [eu, us]) expect(pool.users.get(name(7))?.attributes).toEqual(stamped(101, edited))
    const again = await reconcilePools({ pools: [eu.peer, us.peer], missing: 'create', metrics: () => {} })
    expect(again.planned).toEqual([])
  })

  it('without tombstones, reports users present in some pools only instead of resurrecting them', async () => {
    const { eu, us } = drifted()
    const report = await reconcilePools({ pools: [eu.peer, us.peer], metrics: () => {} })
    expect(report.unresolved.map((u) => u.username).sort()).toEqual([name(200), name(300)])
    expect(us.users.has(name(200))).toBe(false)
    expect(eu.users.has(name(300))).toBe(false)
    expect(summarise(report)).toContain('unresolved')
  })

  it('dry run plans and changes nothing', async () => {
    const { eu, us } = drifted()
    const before = [snapshot(eu), snapshot(us)]
    const report = await reconcilePools({
      pools: [eu.peer, us.peer],
      missing: 'create',
      dryRun: true,
      metrics: () => {},
    })
    expect(report.planned.length).toBeGreaterThan(0)
    expect([snapshot(eu), snapshot(us)]).toEqual(before)
    const reads = new Set(['DescribeUserPool', 'ListUsers'])
    expect(eu.names().every((n) => reads.has(n)) && us.names().every((n) => reads.has(n))).toBe(true)
    expect(summarise(report)).toContain('dry run')
  })

  it('reports DLQ depth as a metric', async () => {
    const { eu, us } = drifted()
    const dlq = fakeQueue()
    dlq.mock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '3' } })
    const metrics: string[] = []
    const report = await reconcilePools({
      pools: [eu.peer, us.peer],
      dryRun: true,
      metrics: (l) => metrics.push(l),
      deadLetterQueues: [{ region: 'eu-west-1', client: dlq.client, queueUrl: dlq.queueUrl }],
    })
    expect(report.dlqDepth).toEqual({ 'eu-west-1': 3 })
    expect(metrics.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ ReplicationDlqDepth: 3, Region: 'eu-west-1' }),
    )
  })
})

describe('backfill', () => {
  it('copies a pool into a new region, then is a no-op', async () => {
    const eu = fakePool('eu-west-1')
    const ap = fakePool('ap-south-1')
    for (let i = 0; i < 70; i++)
      eu.seed(name(i), { email: `p${i}@example.com`, email_verified: 'true' }, { modified: 5_000 + i })
    eu.users.get(name(3)) && Object.assign(eu.users.get(name(3)) ?? {}, { enabled: false })
    const report = await backfillPool({ from: eu.peer, to: ap.peer })
    expect(report.result).toMatchObject({ applied: 71, failed: 0 }) // 70 creates and the disabled user's state
    expect(ap.users.size).toBe(70)
    const p5 = { email: 'p5@example.com', email_verified: 'true' }
    expect(ap.users.get(name(5))).toMatchObject({
      status: 'CONFIRMED',
      attributes: { email: 'p5@example.com', [CHANGED_AT_ATTRIBUTE]: stamped(5_005, p5)[CHANGED_AT_ATTRIBUTE] },
    })
    // Creating an existing user again would be an error; the source is never written.
    expect(eu.names().every((n) => n === 'ListUsers' || n === 'DescribeUserPool')).toBe(true)
    const again = await backfillPool({ from: eu.peer, to: ap.peer })
    expect(ap.users.get(name(3))?.enabled).toBe(false)
    expect(again.planned).toEqual([])
  })
})

describe('redrive', () => {
  it('moves DLQ messages back (send first, delete after) and a dry run moves nothing', async () => {
    const q = fakeQueue()
    const good = createMessage({
      kind: 'delete',
      username: name(1),
      sourceRegion: 'eu-west-1',
      targetRegion: 'us-east-1',
      changedAt: 5,
    })
    const pending = [
      { MessageId: 'a', ReceiptHandle: 'ra', Body: JSON.stringify(good) },
      { MessageId: 'b', ReceiptHandle: 'rb', Body: '{poison' },
    ]
    q.mock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } })
    q.mock.on(ReceiveMessageCommand).callsFake(async () => ({ Messages: pending.splice(0, 10) }))
    const dry = await redriveDeadLetters({ client: q.client, dlqUrl: 'dlq', queueUrl: 'main', dryRun: true })
    expect(dry).toMatchObject({ found: 2, moved: 0, poison: 1, left: 2, dryRun: true })
    expect(q.mock.commandCalls(SendMessageBatchCommand)).toHaveLength(0)

    pending.push(
      { MessageId: 'a', ReceiptHandle: 'ra', Body: JSON.stringify(good) },
      { MessageId: 'b', ReceiptHandle: 'rb', Body: '{poison' },
    )
    q.mock.on(DeleteMessageBatchCommand).resolves({})
    const real = await redriveDeadLetters({ client: q.client, dlqUrl: 'dlq', queueUrl: 'main', skipPoison: true })
    expect(real).toMatchObject({ moved: 1, poison: 1, left: 1 })
    expect(q.sent).toEqual([good])
    const deleted = q.mock.commandCalls(DeleteMessageBatchCommand)[0]?.args[0].input
    expect(deleted).toEqual({ QueueUrl: 'dlq', Entries: [{ Id: '0', ReceiptHandle: 'ra' }] })
  })
})
