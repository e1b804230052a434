import type { PostConfirmationTriggerEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import type { ReplicationLogEntry } from '../../src/replication/log.js'
import { parseMessage } from '../../src/replication/message.js'
import { PEER_REST_MS } from '../../src/replication/peer-rest.js'
import { createReplicateOnConfirm, SIGN_UP_SETTLE_SECONDS } from '../../src/replication/replicate-on-confirm.js'
import { createReplicationWorker } from '../../src/replication/worker.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { sqsEvent } from '../helpers/replication-events.js'

const username = 'u_b5fc85e55755f9e0d030a10ab4429b6b'

function confirmEvent(region = 'eu-west-1', userPoolId = 'eu-west-1_test'): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region,
    userPoolId,
    userName: username,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.1164.0', clientId: 'client' },
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    request: {
      userAttributes: {
        sub: 'source-sub',
        email: 'ada@example.com',
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
        'custom:plan': 'pro',
      },
    },
    response: {},
  }
}

function setup(options: { timeoutMs?: number; directBudgetMs?: number; now?: () => number } = {}) {
  const source = fakePool('eu-west-1')
  source.seed(username, { email: 'ada@example.com', email_verified: 'true', 'custom:plan': 'pro' })
  const us = fakePool('us-east-1')
  const ap = fakePool('ap-south-1')
  const queue = fakeQueue()
  const logs: ReplicationLogEntry[] = []
  const metrics: string[] = []
  const trigger = createReplicateOnConfirm({
    region: 'eu-west-1',
    userPoolId: source.userPoolId,
    client: source.client,
    peers: [us.peer, ap.peer],
    queue: queue.queue,
    log: (e) => logs.push(e),
    metrics: (l) => metrics.push(l),
    now: () => 1_700_000_000_000,
    ...options,
  })
  return { source, us, ap, queue, logs, metrics, trigger }
}

describe('Post confirmation → replicate', () => {
  it('creates the user in every peer with SUPPRESS and a permanent random password, never AdminConfirmSignUp', async () => {
    const { source, us, ap, queue, trigger, metrics } = setup()
    const event = confirmEvent()
    const stamp = versionStamp(1_700_000_000_000, {
      email: 'ada@example.com',
      email_verified: 'true',
      'custom:plan': 'pro',
    })
    expect(await trigger(event)).toBe(event)
    for (const peer of [us, ap]) {
      expect(peer.names()).toEqual(['AdminCreateUser', 'AdminSetUserPassword'])
      const create = peer.calls[0]?.input as { MessageAction: string; UserAttributes: { Name: string }[] }
      expect(create.MessageAction).toBe('SUPPRESS')
      expect(create.UserAttributes.map((a) => a.Name)).not.toContain('sub')
      expect(peer.calls[1]?.input).toMatchObject({ Permanent: true })
      expect(
        String((peer.calls[1]?.input as { Password?: string } | undefined)?.Password).length,
      ).toBeGreaterThanOrEqual(32)
      expect(peer.users.get(username)).toMatchObject({
        status: 'CONFIRMED',
        attributes: {
          email: 'ada@example.com',
          email_verified: 'true',
          'custom:plan': 'pro',
          [CHANGED_AT_ATTRIBUTE]: stamp,
        },
      })
    }
    // The source copy carries the same stamp, so later conflicts compare like with like.
    expect(source.users.get(username)?.attributes[CHANGED_AT_ATTRIBUTE]).toBe(stamp)
    expect(queue.sent).toEqual([])
    expect(metrics.some((l) => l.includes('"ReplicationLagMs"'))).toBe(true)
  })

  it('queues one message per failed peer and still returns the event', async () => {
    const { us, ap, queue, trigger, logs } = setup()
    us.failNext(us.error('InternalErrorException'))
    const event = confirmEvent()
    expect(await trigger(event)).toBe(event)
    expect(ap.users.has(username)).toBe(true)
    expect(us.users.has(username)).toBe(false)
    expect(queue.sent).toHaveLength(1)
    const message = parseMessage(JSON.stringify(queue.sent[0]))
    expect(message).toMatchObject({
      v: 1,
      kind: 'upsert',
      username,
      sourceRegion: 'eu-west-1',
      targetRegion: 'us-east-1',
      changedAt: 1_700_000_000_000,
    })
    expect(message.attributes).toEqual({ email: 'ada@example.com', email_verified: 'true', 'custom:plan': 'pro' })
    expect(logs.find((l) => l.event === 'replication.deferred')).toMatchObject({ target: 'us-east-1' })
  })

  it('gives up on a peer that never answers after the time-out and queues it', async () => {
    const { us, ap, queue, trigger } = setup({ timeoutMs: 50, directBudgetMs: 200 })
    us.setHang(true)
    await trigger(confirmEvent())
    expect(ap.users.has(username)).toBe(true)
    expect(queue.sent.map((m) => (m as { targetRegion: string }).targetRegion)).toEqual(['us-east-1'])
  })

  it('queues at once, for a while, the copies for a peer that just failed: no second sign-up waits on it', async () => {
    let clock = 1_700_000_000_000
    const { us, ap, queue, trigger, logs } = setup({ timeoutMs: 50, directBudgetMs: 200, now: () => clock })
    us.setHang(true)
    await trigger(confirmEvent())
    const calls = us.calls.length
    await trigger(confirmEvent())
    expect(us.calls.length).toBe(calls) // not asked again
    expect(ap.users.has(username)).toBe(true)
    expect(queue.sent.filter((m) => (m as { targetRegion: string }).targetRegion === 'us-east-1')).toHaveLength(2)
    expect(logs.filter((l) => l.event === 'replication.deferred').at(-1)).toMatchObject({ error: 'peer resting' })
    // Thirty seconds on, the peer is tried directly again.
    us.setHang(false)
    clock += PEER_REST_MS
    await trigger(confirmEvent())
    expect(us.calls.length).toBeGreaterThan(calls)
    expect(us.users.has(username)).toBe(true)
  })

  it('treats a user that already exists in a peer (same sign-up in two regions) as one identity', async () => {
    const { us, trigger, queue } = setup()
    us.seed(username, { email: 'ada@example.com', email_verified: 'true' })
    await trigger(confirmEvent())
    expect(us.names()).toEqual(['AdminCreateUser', 'AdminGetUser', 'AdminUpdateUserAttributes'])
    expect(us.users.size).toBe(1)
    expect(us.users.get(username)?.attributes['custom:plan']).toBe('pro')
    // us-east-1's own sign-up may still stamp its copy without reading it: the version goes again, later.
    expect(queue.sent).toMatchObject([{ kind: 'upsert', targetRegion: 'us-east-1', changedAt: 1_700_000_000_000 }])
    expect(queue.delays).toEqual([SIGN_UP_SETTLE_SECONDS])
  })

  it('the delayed copy puts the newer version back over a stamp written after it', async () => {
    const { us, trigger, queue } = setup()
    const attributes = { email: 'ada@example.com', email_verified: 'true', 'custom:plan': 'pro' }
    us.seed(username, attributes)
    await trigger(confirmEvent())
    // us-east-1's own Post confirmation (one ms earlier) stamps its copy last, without reading it.
    Object.assign(us.users.get(username)?.attributes ?? {}, {
      [CHANGED_AT_ATTRIBUTE]: versionStamp(1_699_999_999_999, attributes),
    })
    const worker = createReplicationWorker({
      region: 'eu-west-1',
      peers: [us.peer],
      queue: queue.queue,
      log: () => {},
      metrics: () => {},
    })
    expect(await worker(sqsEvent(queue.sent))).toEqual({ batchItemFailures: [] })
    expect(us.users.get(username)?.attributes[CHANGED_AT_ATTRIBUTE]).toBe(versionStamp(1_700_000_000_000, attributes))
  })

  it('never fails the sign-up, even when the queue is down too', async () => {
    const { us, ap, queue, trigger, logs } = setup()
    us.failNext(us.error('InternalErrorException'))
    ap.failNext(ap.error('InternalErrorException'))
    queue.setSendFails(true)
    const event = confirmEvent()
    expect(await trigger(event)).toBe(event)
    expect(logs.find((l) => l.event === 'replication.lost')).toMatchObject({ level: 'error' })
  })

  it('queues a message to its own region when the source stamp cannot be written', async () => {
    const { source, queue, trigger } = setup()
    source.failNext(source.error('InternalErrorException'))
    await trigger(confirmEvent())
    expect(queue.sent).toMatchObject([{ kind: 'upsert', sourceRegion: 'eu-west-1', targetRegion: 'eu-west-1' }])
  })

  it('ignores other Post confirmation sources (forgot password)', async () => {
    const { us, trigger } = setup()
    const event = {
      ...confirmEvent(),
      triggerSource: 'PostConfirmation_ConfirmForgotPassword',
    } as PostConfirmationTriggerEvent
    await trigger(event)
    expect(us.calls).toEqual([])
  })
})
