import { AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, hasUnstampedEdit, versionStamp } from '../../src/replication/attributes.js'
import { createLifecycleReplicator } from '../../src/replication/lifecycle.js'
import { createMessage } from '../../src/replication/message.js'
import { createReplicationWorker } from '../../src/replication/worker.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { adminCallEvent, sqsEvent } from '../helpers/replication-events.js'

// The race the emulator's chaos suite found: an administrator edits a user's copy while a retry of that
// user's creation is still on its way to the same pool, and the retry lands before the edit's CloudTrail
// event is handled. The retry carries the copy's own stamp time; a time alone made it a tie, which the
// retry could win, and the edit was then sent everywhere undone.

const username = 'u_0123456789abcdef0123456789abcdef'
const SIGNED_UP_AT = Date.parse('2026-11-24T03:00:00Z') + 123
const EDITED_AT = '2026-11-24T03:00:04Z'
const signedUp = { email: 'ada@example.com', email_verified: 'true' }
// Sorts before `signedUp` as text, so the old equal-time rule (greater set wins) gave the retry the win.
const edit = { 'custom:plan': 'pro' }

const editEvent = (region: string, userPoolId: string) =>
  adminCallEvent('AdminUpdateUserAttributes', region, EDITED_AT, {
    userPoolId,
    username,
    userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS',
  })

function setup() {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  const euQueue = fakeQueue()
  const usQueue = fakeQueue('https://sqs.us-east-1.amazonaws.com/1/regionless-replication')
  const common = { log: () => {}, metrics: () => {}, sleep: async () => {} }
  const worker = (region: string, own: typeof eu, peer: typeof eu, queue: typeof euQueue) =>
    createReplicationWorker({ ...common, region, peers: [own.peer, peer.peer], queue: queue.queue })
  const lifecycle = (region: string, pool: typeof eu, peer: string, queue: typeof euQueue) =>
    createLifecycleReplicator({
      region,
      userPoolId: pool.userPoolId,
      client: pool.client,
      peerRegions: [peer],
      queue: queue.queue,
      log: () => {},
    })
  return {
    eu,
    us,
    euQueue,
    usQueue,
    euWorker: worker('eu-west-1', eu, us, euQueue),
    usLifecycle: lifecycle('us-east-1', us, 'eu-west-1', usQueue),
    euLifecycle: lifecycle('eu-west-1', eu, 'us-east-1', euQueue),
  }
}

const adminEdit = (pool: ReturnType<typeof fakePool>) =>
  pool.client.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: pool.userPoolId,
      Username: username,
      UserAttributes: Object.entries(edit).map(([Name, Value]) => ({ Name, Value })),
    }),
  )

describe('an edit made while the creation is still being retried toward that pool', () => {
  it('survives the retry and reaches every pool', async () => {
    const { eu, us, euQueue, usQueue, euWorker, usLifecycle } = setup()
    const stamp = { ...signedUp, [CHANGED_AT_ATTRIBUTE]: versionStamp(SIGNED_UP_AT, signedUp) }
    eu.seed(username, stamp)
    // The direct attempt created us-east-1's copy, then timed out before setting its password: a retry is queued.
    us.seed(username, stamp, { status: 'FORCE_CHANGE_PASSWORD' })
    const retry = createMessage({
      kind: 'upsert',
      username,
      attributes: signedUp,
      sourceRegion: 'eu-west-1',
      targetRegion: 'us-east-1',
      changedAt: SIGNED_UP_AT,
    })

    await adminEdit(us)
    expect(hasUnstampedEdit(us.users.get(username)?.attributes ?? {})).toBe(true)
    // The retry lands before the edit's event is handled: it finishes the copy and leaves the edit alone.
    expect(await euWorker(sqsEvent([retry]))).toEqual({ batchItemFailures: [] })
    expect(us.users.get(username)).toMatchObject({ status: 'CONFIRMED', attributes: edit })

    expect(await usLifecycle(editEvent('us-east-1', us.userPoolId))).toMatchObject({ handled: true })
    expect(await euWorker(sqsEvent(usQueue.sent))).toEqual({ batchItemFailures: [] })
    expect(eu.users.get(username)?.attributes).toEqual(us.users.get(username)?.attributes)
    expect(eu.users.get(username)?.attributes).toMatchObject({ ...signedUp, ...edit })
    // A redelivery of the retry changes nothing now: the copy's stamp is newer.
    expect(await euWorker(sqsEvent([retry]))).toEqual({ batchItemFailures: [] })
    expect(us.users.get(username)?.attributes).toEqual(eu.users.get(username)?.attributes)
    expect(euQueue.sent).toEqual([])
  })

  it("survives a region's message to itself (its new user's stamp, deferred at sign-up)", async () => {
    const { eu, us, euQueue, euWorker, euLifecycle } = setup()
    // eu-west-1 could not stamp its own copy at sign-up, so it queued the stamp for itself.
    eu.seed(username, signedUp)
    us.seed(username, { ...signedUp, [CHANGED_AT_ATTRIBUTE]: versionStamp(SIGNED_UP_AT, signedUp) })
    const selfStamp = createMessage({
      kind: 'upsert',
      username,
      attributes: signedUp,
      sourceRegion: 'eu-west-1',
      targetRegion: 'eu-west-1',
      changedAt: SIGNED_UP_AT,
    })
    await adminEdit(eu)
    expect(await euWorker(sqsEvent([selfStamp]))).toEqual({ batchItemFailures: [] })
    expect(eu.users.get(username)?.attributes).toMatchObject(edit)

    await euLifecycle(editEvent('eu-west-1', eu.userPoolId))
    expect(await euWorker(sqsEvent(euQueue.sent))).toEqual({ batchItemFailures: [] })
    expect(us.users.get(username)?.attributes).toEqual(eu.users.get(username)?.attributes)
    expect(us.users.get(username)?.attributes).toMatchObject({ ...signedUp, ...edit })
  })
})
