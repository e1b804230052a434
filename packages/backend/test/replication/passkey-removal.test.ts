import { describe, expect, it } from 'vitest'
import { createMemoryPasskeyStore, type PasskeyStore } from '../../src/passkeys/passkey-store.js'
import { createAccountDeletion } from '../../src/replication/delete-account.js'
import { createLifecycleReplicator } from '../../src/replication/lifecycle.js'
import type { ReplicationLogEntry } from '../../src/replication/log.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { adminCallEvent } from '../helpers/replication-events.js'

// A deleted account takes its passkeys with it: they live in the shared table, outside every pool.

const username = 'u_0123456789abcdef0123456789abcdef'
const passkey = {
  id: 'cred-1',
  publicKey: 'pk',
  counter: 0,
  name: 'Laptop',
  createdAt: 1,
  registeredRegion: 'eu-west-1',
  backedUp: true,
  deviceType: 'multiDevice' as const,
}

async function storeWithPasskey(): Promise<PasskeyStore> {
  const store = createMemoryPasskeyStore()
  await store.add(username, passkey)
  return store
}

/** A store whose removeAll fails `failures` times first. */
function flaky(store: PasskeyStore, failures: number) {
  let calls = 0
  return {
    store: {
      ...store,
      async removeAll(name: string) {
        calls++
        if (calls <= failures) throw Object.assign(new Error('unavailable'), { name: 'InternalServerError' })
        await store.removeAll(name)
      },
    } satisfies PasskeyStore,
    calls: () => calls,
  }
}

function deletion(passkeys: PasskeyStore) {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  for (const pool of [eu, us]) pool.seed(username, { email: 'ada@example.com' })
  const logs: ReplicationLogEntry[] = []
  const deleteAccount = createAccountDeletion({
    region: 'eu-west-1',
    pools: [eu.peer, us.peer],
    queue: fakeQueue().queue,
    tombstones: createMemoryTombstoneStore(),
    passkeys,
    log: (entry) => logs.push(entry),
  })
  return { eu, us, logs, deleteAccount }
}

describe('account deletion removes the passkeys', () => {
  it('after the pools have deleted the user', async () => {
    const passkeys = await storeWithPasskey()
    const { eu, us, deleteAccount } = deletion(passkeys)
    const result = await deleteAccount(username)
    expect(result.passkeysRemoved).toBe(true)
    expect(eu.users.has(username) || us.users.has(username)).toBe(false)
    expect(await passkeys.list(username)).toEqual([])
  })

  it('tries again when the table fails once', async () => {
    const passkeys = await storeWithPasskey()
    const { store, calls } = flaky(passkeys, 1)
    expect((await deletion(store).deleteAccount(username)).passkeysRemoved).toBe(true)
    expect(calls()).toBe(2)
    expect(await passkeys.list(username)).toEqual([])
  })

  it('logs an error, never drops it silently, when the table keeps failing (the lifecycle handler retries)', async () => {
    const { store } = flaky(await storeWithPasskey(), 10)
    const { logs, deleteAccount } = deletion(store)
    const result = await deleteAccount(username)
    expect(result.passkeysRemoved).toBe(false)
    expect(result.deleted).toEqual(['eu-west-1', 'us-east-1'])
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'error', event: 'account-deletion.passkeys-deferred', username }),
    )
  })
})

describe('the lifecycle handler removes a deleted user’s passkeys', () => {
  function lifecycle(passkeys: PasskeyStore) {
    const pool = fakePool('eu-west-1')
    const queue = fakeQueue()
    const handler = createLifecycleReplicator({
      region: 'eu-west-1',
      userPoolId: pool.userPoolId,
      client: pool.client,
      peerRegions: ['us-east-1'],
      queue: queue.queue,
      tombstones: createMemoryTombstoneStore(),
      passkeys,
      log: () => {},
    })
    const deleted = adminCallEvent('AdminDeleteUser', 'eu-west-1', new Date().toISOString(), {
      userPoolId: pool.userPoolId,
      username,
    })
    return { handler, deleted, queue }
  }

  it('on AdminDeleteUser, after queueing the delete for every pool', async () => {
    const passkeys = await storeWithPasskey()
    const { handler, deleted, queue } = lifecycle(passkeys)
    expect(await handler(deleted)).toMatchObject({ handled: true, kind: 'delete', username })
    expect(queue.sent.length).toBe(2)
    expect(await passkeys.list(username)).toEqual([])
  })

  it('throws when the table fails, so Lambda retries and then keeps the event in the failures queue', async () => {
    const passkeys = await storeWithPasskey()
    const { store } = flaky(passkeys, 1)
    const { handler, deleted } = lifecycle(store)
    await expect(handler(deleted)).rejects.toThrow('unavailable')
    // The retry (the same event) repeats only idempotent steps, and removes them.
    expect(await handler(deleted)).toMatchObject({ handled: true, kind: 'delete' })
    expect(await passkeys.list(username)).toEqual([])
  })

  it('leaves passkeys alone on other changes', async () => {
    const passkeys = await storeWithPasskey()
    const { handler } = lifecycle(passkeys)
    await handler(
      adminCallEvent('AdminDisableUser', 'eu-west-1', new Date().toISOString(), {
        userPoolId: 'eu-west-1_test',
        username,
      }),
    )
    expect(await passkeys.list(username)).toHaveLength(1)
  })
})
