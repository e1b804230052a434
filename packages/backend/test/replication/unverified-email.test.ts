import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, canonicalAttributes, versionStamp } from '../../src/replication/attributes.js'
import { createLifecycleReplicator } from '../../src/replication/lifecycle.js'
import type { ReplicationMessage } from '../../src/replication/message.js'
import { backfillPool, reconcilePools } from '../../src/replication/reconcile.js'
import { createReplicationWorker } from '../../src/replication/worker.js'
import { type FakePool, fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { adminCallEvent, sqsEvent } from '../helpers/replication-events.js'

// Defect 3 of issue 17: a user whose email is not verified (a pending change) was copied without any
// email, which the pools' schema requires. A created copy now carries it, unverified; an existing copy
// is never given an unverified address (Cognito would mail it a code) and keeps its last proven one.

const USERNAME = 'u_0123456789abcdef0123456789abcdef'
const PENDING = { email: 'new@example.com', email_verified: 'false', name: 'Ada' }
const STAMPED_AT = 1_767_225_600_000

/** The source copy: an email change waiting for its code, stamped as replication stamps it. */
function sourceWithPendingEmail() {
  const eu = fakePool('eu-west-1')
  eu.seed(USERNAME, { ...PENDING, [CHANGED_AT_ATTRIBUTE]: versionStamp(STAMPED_AT, PENDING) })
  return eu
}

function expectCreatedWithPendingEmail(target: FakePool, source: FakePool) {
  const created = target.calls.find((c) => c.command === 'AdminCreateUser')
  expect(created?.input).toMatchObject({ MessageAction: 'SUPPRESS' })
  expect(created?.input.UserAttributes).toEqual(
    expect.arrayContaining([
      { Name: 'email', Value: 'new@example.com' },
      { Name: 'email_verified', Value: 'false' },
    ]),
  )
  const copy = target.users.get(USERNAME)
  expect(copy?.attributes).toMatchObject({ email: 'new@example.com', email_verified: 'false', name: 'Ada' })
  // The version digest is the source's: the pools agree that the copies are equal.
  const original = source.users.get(USERNAME)?.attributes ?? {}
  expect(copy?.attributes[CHANGED_AT_ATTRIBUTE]).toBe(original[CHANGED_AT_ATTRIBUTE])
  expect(canonicalAttributes(copy?.attributes ?? {})).toBe(canonicalAttributes(original))
}

const namesWritten = (pool: FakePool) =>
  pool.calls
    .filter((c) => c.command === 'AdminUpdateUserAttributes')
    .flatMap((c) => (c.input.UserAttributes as { Name: string }[]).map((a) => a.Name))
const emailsWritten = (pool: FakePool) => namesWritten(pool).filter((name) => name.startsWith('email'))

describe('a user whose email is not verified yet', () => {
  it('backfill creates the copy with that email, unverified, and a second run finds nothing', async () => {
    const eu = sourceWithPendingEmail()
    const us = fakePool('us-east-1')
    await backfillPool({ from: eu.peer, to: us.peer })
    expectCreatedWithPendingEmail(us, eu)
    const again = await backfillPool({ from: eu.peer, to: us.peer })
    expect(again.planned).toEqual([])
  })

  it('reconcile with missing: create creates the copy with that email, unverified, and then agrees', async () => {
    const eu = sourceWithPendingEmail()
    const us = fakePool('us-east-1')
    const report = await reconcilePools({ pools: [eu.peer, us.peer], missing: 'create', metrics: () => {} })
    expect(report.result).toMatchObject({ failed: 0 })
    expectCreatedWithPendingEmail(us, eu)
    const again = await reconcilePools({ pools: [eu.peer, us.peer], missing: 'create', metrics: () => {} })
    expect(again.planned).toEqual([])
  })

  /** The lifecycle handler in eu-west-1 hears of the change; the worker applies its message to us-east-1. */
  async function replicateChange(eu: FakePool, us: FakePool) {
    const queue = fakeQueue()
    const lifecycle = createLifecycleReplicator({
      region: 'eu-west-1',
      userPoolId: eu.userPoolId,
      client: eu.client,
      peerRegions: ['us-east-1'],
      queue: queue.queue,
      log: () => {},
    })
    const event = adminCallEvent('AdminUpdateUserAttributes', 'eu-west-1', new Date().toISOString(), {
      userPoolId: eu.userPoolId,
      username: USERNAME,
      userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    })
    expect(await lifecycle(event)).toMatchObject({ handled: true, messages: 1 })
    const [message] = queue.sent as ReplicationMessage[]
    const worker = createReplicationWorker({
      region: 'eu-west-1',
      peers: [us.peer],
      queue: queue.queue,
      log: () => {},
      metrics: () => {},
    })
    expect(await worker(sqsEvent([message]))).toEqual({ batchItemFailures: [] })
    return message as ReplicationMessage
  }

  it('the worker creates a missing copy with that email, unverified', async () => {
    const eu = sourceWithPendingEmail()
    const us = fakePool('us-east-1')
    const message = await replicateChange(eu, us)
    expect(message.attributes).toMatchObject({ email: 'new@example.com', email_verified: 'false' })
    expectCreatedWithPendingEmail(us, eu)
  })

  it('an update never writes the unverified email to an existing copy, which keeps its proven one', async () => {
    const eu = sourceWithPendingEmail()
    const us = fakePool('us-east-1')
    const proven = { email: 'old@example.com', email_verified: 'true', name: 'Old' }
    us.seed(USERNAME, { ...proven, [CHANGED_AT_ATTRIBUTE]: versionStamp(STAMPED_AT - 1000, proven) })
    await replicateChange(eu, us)
    expect(namesWritten(us)).toContain('name')
    expect(emailsWritten(us)).toEqual([])
    expect(us.names()).not.toContain('AdminDeleteUserAttributes')
    expect(us.users.get(USERNAME)?.attributes).toMatchObject({ email: 'old@example.com', email_verified: 'true' })
    expect(us.users.get(USERNAME)?.attributes.name).toBe('Ada')

    // Reconcile's repairs of that copy go the same way.
    await reconcilePools({ pools: [eu.peer, us.peer], missing: 'create', metrics: () => {} })
    expect(emailsWritten(us)).toEqual([])
    expect(us.users.get(USERNAME)?.attributes).toMatchObject({ email: 'old@example.com', email_verified: 'true' })
  })
})
