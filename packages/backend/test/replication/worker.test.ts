import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import type { ReplicationLogEntry } from '../../src/replication/log.js'
import { createMessage, type ReplicationMessage } from '../../src/replication/message.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { createReplicationWorker } from '../../src/replication/worker.js'
import { fakePool, throttled } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'

const username = 'u_0123456789abcdef0123456789abcdef'
let ids = 0

function record(body: unknown, receiveCount = 1): SQSRecord {
  const id = `msg-${++ids}`
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '1',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:1:regionless-replication',
    awsRegion: 'eu-west-1',
  }
}

const upsert = (changedAt: number, attributes: Record<string, string>, target = 'us-east-1'): ReplicationMessage =>
  createMessage({ kind: 'upsert', username, attributes, sourceRegion: 'eu-west-1', targetRegion: target, changedAt })
const other = (kind: 'delete' | 'disable' | 'enable', changedAt: number): ReplicationMessage =>
  createMessage({ kind, username, sourceRegion: 'eu-west-1', targetRegion: 'us-east-1', changedAt })

function setup() {
  const us = fakePool('us-east-1')
  const queue = fakeQueue()
  const logs: ReplicationLogEntry[] = []
  const metrics: string[] = []
  const tombstones = createMemoryTombstoneStore()
  const slept: number[] = []
  const worker = createReplicationWorker({
    region: 'eu-west-1',
    peers: [us.peer],
    queue: queue.queue,
    tombstones,
    log: (e) => logs.push(e),
    metrics: (l) => metrics.push(l),
    random: () => 0,
    now: () => 2_000,
    sleep: async (ms: number) => {
      slept.push(ms)
    },
  })
  const run = (...records: SQSRecord[]) => worker({ Records: records } as SQSEvent)
  return { us, queue, logs, metrics, worker, run, tombstones, slept }
}

describe('replication worker', () => {
  it('creates a missing user and acknowledges the message, reporting lag', async () => {
    const { us, run, metrics } = setup()
    expect(await run(record(upsert(1_000, { email: 'a@b.co', email_verified: 'true' })))).toEqual({
      batchItemFailures: [],
    })
    expect(us.users.get(username)).toMatchObject({
      status: 'CONFIRMED',
      attributes: {
        email: 'a@b.co',
        [CHANGED_AT_ATTRIBUTE]: versionStamp(1_000, { email: 'a@b.co', email_verified: 'true' }),
      },
    })
    expect(metrics.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ ReplicationLagMs: 1_000, ReplicationApplied: 1 }),
    )
  })

  it('makes attributes match when the user exists, and applies a redelivered message once', async () => {
    const { us, run } = setup()
    us.seed(username, { email: 'a@b.co', email_verified: 'true', name: 'old', [CHANGED_AT_ATTRIBUTE]: '500' })
    const message = upsert(1_000, { email: 'a@b.co', email_verified: 'true', name: 'new' })
    await run(record(message))
    await run(record(message, 2))
    expect(us.users.get(username)?.attributes).toMatchObject({
      name: 'new',
      [CHANGED_AT_ATTRIBUTE]: versionStamp(1_000, { email: 'a@b.co', email_verified: 'true', name: 'new' }),
    })
    expect(us.names().filter((n) => n === 'AdminUpdateUserAttributes')).toHaveLength(1)
  })

  it('writes email_verified with a changed email (or Cognito would unverify it and mail a code)', async () => {
    const { us, run } = setup()
    us.seed(username, { email: 'old@b.co', email_verified: 'true', [CHANGED_AT_ATTRIBUTE]: '5' })
    await run(record(upsert(1_000, { email: 'new@b.co', email_verified: 'true' })))
    const update = us.calls.find((c) => c.command === 'AdminUpdateUserAttributes')?.input as {
      UserAttributes: { Name: string; Value: string }[]
    }
    expect(update.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' })
    expect(update.UserAttributes).toContainEqual({ Name: 'email', Value: 'new@b.co' })
  })

  it('applies a newer version whole: attributes it lacks are deleted (the email is kept)', async () => {
    const { us, run } = setup()
    us.seed(username, { email: 'a@b.co', email_verified: 'true', 'custom:old': 'x', [CHANGED_AT_ATTRIBUTE]: '5' })
    await run(record(upsert(1_000, { name: 'n' })))
    expect(us.users.get(username)?.attributes).toEqual({
      email: 'a@b.co',
      email_verified: 'true',
      name: 'n',
      [CHANGED_AT_ATTRIBUTE]: versionStamp(1_000, { email: 'a@b.co', email_verified: 'true', name: 'n' }),
    })
  })

  it('last writer wins: an older change arriving late is skipped', async () => {
    const { us, run } = setup()
    await run(record(upsert(2_000, { name: 'newer' })))
    await run(record(upsert(1_000, { name: 'older' })))
    expect(us.users.get(username)?.attributes.name).toBe('newer')
  })

  it('delete wins over an older upsert: a tombstone stops the resurrection', async () => {
    const { us, run, tombstones } = setup()
    us.seed(username, { name: 'x', [CHANGED_AT_ATTRIBUTE]: '100' })
    await run(record(other('delete', 1_000)))
    expect(us.users.has(username)).toBe(false)
    expect(await tombstones.get(username)).toBe(1_000)
    await run(record(upsert(900, { name: 'late' })))
    expect(us.users.has(username)).toBe(false)
    // A sign-up after the delete is a new life for the username.
    await run(record(upsert(1_100, { name: 'again' })))
    expect(us.users.get(username)?.attributes.name).toBe('again')
    // Deleting a missing user succeeds.
    expect(await run(record(other('delete', 1_000)))).toEqual({ batchItemFailures: [] })
  })

  it('disables and enables idempotently, stamping the time', async () => {
    const { us, run } = setup()
    us.seed(username, { name: 'x' })
    await run(record(other('disable', 1_000)), record(other('disable', 1_000)))
    expect(us.users.get(username)).toMatchObject({ enabled: false, attributes: { 'custom:rl_enabled_at': '1000' } })
    await run(record(other('enable', 900)))
    expect(us.users.get(username)?.enabled).toBe(false)
    await run(record(other('enable', 1_100)))
    expect(us.users.get(username)?.enabled).toBe(true)
  })

  it('retries a disable whose user is not created yet', async () => {
    const { run, queue } = setup()
    const r = record(other('disable', 1_000))
    expect(await run(r)).toEqual({ batchItemFailures: [{ itemIdentifier: r.messageId }] })
    expect(queue.visibility).toEqual([{ receiptHandle: r.receiptHandle, seconds: 1 }])
  })

  it('retries a throttled call in place first (the quota refills within a second)', async () => {
    const { us, run, queue, slept } = setup()
    us.failNext(throttled(), throttled())
    expect(await run(record(upsert(1_000, { name: 'a' })))).toEqual({ batchItemFailures: [] })
    expect(slept).toEqual([100, 200])
    expect(queue.visibility).toEqual([])
    expect(us.users.get(username)?.attributes.name).toBe('a')
  })

  it('backs off sustained throttling exponentially with the receive count', async () => {
    const { us, run, queue, metrics } = setup()
    us.failNext(...Array.from({ length: 8 }, throttled))
    const first = record(upsert(1_000, { name: 'a' }), 1)
    const third = record(upsert(1_000, { name: 'a' }), 3)
    const out = await run(first)
    await run(third)
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: first.messageId }])
    expect(queue.visibility).toEqual([
      { receiptHandle: first.receiptHandle, seconds: 2 },
      { receiptHandle: third.receiptHandle, seconds: 8 },
    ])
    expect(metrics.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ ReplicationThrottled: 1, ReplicationRetries: 1 }),
    )
    expect(us.users.has(username)).toBe(false)
  })

  it('fails transient errors (5xx) so that SQS retries them', async () => {
    const { us, run } = setup()
    us.failNext(us.error('InternalErrorException'))
    const r = record(upsert(1_000, { name: 'a' }))
    expect((await run(r)).batchItemFailures).toEqual([{ itemIdentifier: r.messageId }])
    expect(await run(record(upsert(1_000, { name: 'a' }), 2))).toEqual({ batchItemFailures: [] })
  })

  it('fails poison messages on every receive, logs them, and makes them visible at once for the DLQ', async () => {
    const { run, logs, queue } = setup()
    const bad = [record('{not json'), record({ v: 9, kind: 'upsert' }), record({ ...upsert(1, {}), username: 'a b' })]
    const out = await run(...bad, record(upsert(1_000, { name: 'ok' })))
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(bad.map((r) => r.messageId).sort())
    expect(logs.filter((l) => l.event === 'replication.poison')).toHaveLength(3)
    expect(queue.visibility.every((v) => v.seconds === 0)).toBe(true)
    // Receive 5 of the same poison: still failed, never acknowledged.
    expect((await run(record('{not json', 5))).batchItemFailures).toHaveLength(1)
  })

  it('fails messages for a region it has no peer for', async () => {
    const { run } = setup()
    const r = record(upsert(1_000, { name: 'a' }, 'ap-south-1'))
    expect((await run(r)).batchItemFailures).toEqual([{ itemIdentifier: r.messageId }])
  })

  it('applies messages for one user in order within a batch', async () => {
    const { us, run } = setup()
    await run(
      record(upsert(1_000, { name: 'a' })),
      record(other('disable', 1_001)),
      record(upsert(1_002, { name: 'b' })),
    )
    expect(us.users.get(username)).toMatchObject({ enabled: false, attributes: { name: 'b' } })
  })
})
