import { describe, expect, it } from 'vitest'
import { versionStamp } from '../../src/replication/attributes.js'
import { createAccountDeletion } from '../../src/replication/delete-account.js'
import type { ReplicationLogEntry } from '../../src/replication/log.js'
import { createMessage } from '../../src/replication/message.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { createReplicationWorker } from '../../src/replication/worker.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { sqsEvent } from '../helpers/replication-events.js'

const username = 'u_0123456789abcdef0123456789abcdef'
const NOW = Date.parse('2026-11-24T03:00:00.250Z')
const END_OF_SECOND = Date.parse('2026-11-24T03:00:00.999Z')
const DELETED_AT = Date.parse('2026-11-24T03:00:01.999Z')
const attributes = { email: 'ada@example.com', email_verified: 'true' }

function setup() {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  const queue = fakeQueue()
  const tombstones = createMemoryTombstoneStore()
  const logs: ReplicationLogEntry[] = []
  const deleteAccount = createAccountDeletion({
    region: 'eu-west-1',
    pools: [eu.peer, us.peer],
    queue: queue.queue,
    tombstones,
    log: (entry) => logs.push(entry),
    now: () => NOW,
  })
  // eu-west-1's worker: it may write every pool, as from-env wires it.
  const worker = createReplicationWorker({
    region: 'eu-west-1',
    peers: [eu.peer, us.peer],
    queue: queue.queue,
    tombstones,
    log: () => {},
    metrics: () => {},
    sleep: async () => {},
  })
  for (const pool of [eu, us])
    pool.seed(username, { ...attributes, 'custom:rl_changed_at': versionStamp(1, attributes) })
  return { eu, us, queue, tombstones, logs, deleteAccount, worker }
}

describe('account deletion (the way for people to delete their own account)', () => {
  it('deletes every copy at once and records the delete at the end of the next second', async () => {
    const { eu, us, queue, tombstones, logs, deleteAccount } = setup()
    expect(await deleteAccount(username)).toEqual({
      username,
      deletedAt: DELETED_AT,
      deleted: ['eu-west-1', 'us-east-1'],
      absent: [],
      queued: [],
    })
    expect(eu.users.has(username) || us.users.has(username)).toBe(false)
    expect(await tombstones.get(username)).toBe(DELETED_AT)
    expect(queue.sent).toEqual([])
    expect(JSON.stringify(logs)).not.toContain('ada@example.com')
  })

  it('queues the delete for a region that does not answer, and the worker applies it when it does', async () => {
    const { us, queue, deleteAccount, worker } = setup()
    us.failNext(us.error('InternalErrorException'))
    expect(await deleteAccount(username)).toMatchObject({ deleted: ['eu-west-1'], queued: ['us-east-1'] })
    expect(us.users.has(username)).toBe(true)
    expect(queue.sent).toMatchObject([{ kind: 'delete', username, targetRegion: 'us-east-1', changedAt: DELETED_AT }])
    expect(await worker(sqsEvent(queue.sent))).toEqual({ batchItemFailures: [] })
    expect(us.users.has(username)).toBe(false)
  })

  it('leaves nothing a queued creation or a change from earlier in the second could bring back', async () => {
    const { us, deleteAccount, worker } = setup()
    us.users.clear() // us-east-1 has not received the user yet: its creation is still queued
    expect(await deleteAccount(username)).toMatchObject({ deleted: ['eu-west-1'], absent: ['us-east-1'] })
    // Three changes in the deletion's second: stamped .999, then 1 ms after each other, past the second's end.
    const late = [1, END_OF_SECOND, END_OF_SECOND + 1, END_OF_SECOND + 2].map((changedAt) =>
      createMessage({
        kind: 'upsert',
        username,
        attributes,
        sourceRegion: 'eu-west-1',
        targetRegion: 'us-east-1',
        changedAt,
      }),
    )
    expect(await worker(sqsEvent(late))).toEqual({ batchItemFailures: [] })
    expect(us.users.has(username)).toBe(false)
  })

  it('fails when a region does not answer and the queue cannot take its delete; a second call finishes it', async () => {
    const { us, queue, deleteAccount } = setup()
    us.failNext(us.error('InternalErrorException'))
    queue.setSendFails(true)
    await expect(deleteAccount(username)).rejects.toThrow(/queue unavailable/)
    expect(us.users.has(username)).toBe(true)
    queue.setSendFails(false)
    expect(await deleteAccount(username)).toMatchObject({ deleted: ['us-east-1'], absent: ['eu-west-1'], queued: [] })
    expect(us.users.has(username)).toBe(false)
  })

  it('refuses anything but a stable username, and invalid configuration, with a TypeError', async () => {
    const { eu, deleteAccount } = setup()
    await expect(deleteAccount('ada@example.com')).rejects.toThrow(TypeError)
    await expect(deleteAccount('')).rejects.toThrow(TypeError)
    expect(eu.names()).toEqual([])
    const queue = fakeQueue().queue
    expect(() => createAccountDeletion({ region: 'eu-west-1', pools: [], queue })).toThrow(/pools/)
    expect(() =>
      createAccountDeletion({ region: 'eu-west-1', pools: [eu.peer], queue: undefined as unknown as typeof queue }),
    ).toThrow(/queue/)
  })
})
