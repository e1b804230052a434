import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE } from '../../src/replication/attributes.js'
import { createLifecycleReplicator } from '../../src/replication/lifecycle.js'
import { createMessage, type ReplicationMessage } from '../../src/replication/message.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { createReplicationWorker } from '../../src/replication/worker.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { adminCallEvent, sqsEvent } from '../helpers/replication-events.js'

// The race the emulator's chaos suite found: a user is deleted in one pool while a retry of its creation
// is still queued for that pool. The tombstone is only written when the lifecycle handler gets the
// delete's CloudTrail event (seconds later in AWS), so the retry re-creates the user there in between.

const username = 'u_0123456789abcdef0123456789abcdef'
const DELETED_AT = Date.parse('2026-11-24T03:00:00Z') + 999
const SIGNED_UP_AT = DELETED_AT - 5_000

const deleteEvent = (userPoolId: string) =>
  adminCallEvent('AdminDeleteUser', 'eu-west-1', '2026-11-24T03:00:00Z', { userPoolId, username })

function setup() {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  const tombstones = createMemoryTombstoneStore()
  const euQueue = fakeQueue()
  const usQueue = fakeQueue('https://sqs.us-east-1.amazonaws.com/1/regionless-replication')
  const common = { tombstones, log: () => {}, metrics: () => {}, sleep: async () => {} }
  // Each worker may write every pool, its own included (self-repairs), as from-env wires it.
  const euWorker = createReplicationWorker({
    ...common,
    region: 'eu-west-1',
    peers: [eu.peer, us.peer],
    queue: euQueue.queue,
  })
  const usWorker = createReplicationWorker({
    ...common,
    region: 'us-east-1',
    peers: [us.peer, eu.peer],
    queue: usQueue.queue,
  })
  const euLifecycle = createLifecycleReplicator({
    region: 'eu-west-1',
    userPoolId: eu.userPoolId,
    client: eu.client,
    peerRegions: ['us-east-1'],
    queue: euQueue.queue,
    tombstones,
    log: () => {},
  })
  return { eu, us, tombstones, euQueue, euWorker, usWorker, euLifecycle }
}

describe('a delete racing a queued re-creation in the pool where it was made', () => {
  it('ends with the user gone from every pool', async () => {
    const { eu, us, euQueue, euWorker, usWorker, euLifecycle } = setup()
    const stamp = { email: 'ada@example.com', email_verified: 'true', [CHANGED_AT_ATTRIBUTE]: String(SIGNED_UP_AT) }
    us.seed(username, stamp)
    eu.seed(username, stamp)
    // us-east-1's queue still holds the creation for eu-west-1 (its first attempt timed out after applying).
    const retry: ReplicationMessage = createMessage({
      kind: 'upsert',
      username,
      attributes: { email: 'ada@example.com', email_verified: 'true' },
      sourceRegion: 'us-east-1',
      targetRegion: 'eu-west-1',
      changedAt: SIGNED_UP_AT,
    })

    await eu.client.send(new AdminDeleteUserCommand({ UserPoolId: eu.userPoolId, Username: username }))
    // The retry arrives before the delete's event is handled: no tombstone yet, so it re-creates the copy.
    expect(await usWorker(sqsEvent([retry]))).toEqual({ batchItemFailures: [] })
    expect(eu.users.has(username)).toBe(true)

    await euLifecycle(deleteEvent(eu.userPoolId))
    expect(await euWorker(sqsEvent(euQueue.sent))).toEqual({ batchItemFailures: [] })

    expect(eu.users.has(username)).toBe(false)
    expect(us.users.has(username)).toBe(false)
    // A redelivery of the retry changes nothing now: the tombstone is newer.
    expect(await usWorker(sqsEvent([retry]))).toEqual({ batchItemFailures: [] })
    expect(eu.users.has(username)).toBe(false)
  })

  it('keeps a copy re-created by a change newer than the delete (delete wins only over older versions)', async () => {
    const { eu, euQueue, euWorker, euLifecycle } = setup()
    eu.seed(username, { email: 'ada@example.com', [CHANGED_AT_ATTRIBUTE]: String(DELETED_AT + 1) })
    await euLifecycle(deleteEvent(eu.userPoolId))
    await euWorker(sqsEvent(euQueue.sent))
    expect(eu.users.get(username)?.attributes[CHANGED_AT_ATTRIBUTE]).toBe(String(DELETED_AT + 1))
  })
})
