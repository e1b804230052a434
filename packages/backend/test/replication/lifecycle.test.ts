import { describe, expect, it } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, ENABLED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import type { CognitoApiCallEvent } from '../../src/replication/cloudtrail-event.js'
import { createLifecycleReplicator, REPLICATION_USER_AGENT } from '../../src/replication/lifecycle.js'
import { parseMessage } from '../../src/replication/message.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'

const username = 'u_0123456789abcdef0123456789abcdef'

/** The EventBridge envelope of a CloudTrail management event, as AWS delivers it. */
function apiCall(
  eventName: string,
  requestParameters: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): CognitoApiCallEvent {
  return {
    version: '0',
    id: 'e8a8b6c0-0000-4000-8000-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cognito-idp',
    account: '123456789012',
    time: '2026-11-24T03:00:00Z',
    region: 'eu-west-1',
    detail: {
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROA:ops',
        arn: 'arn:aws:sts::123456789012:assumed-role/ops/ada',
        accountId: '123456789012',
      },
      eventTime: '2026-11-24T03:00:00Z',
      eventSource: 'cognito-idp.amazonaws.com',
      eventName,
      awsRegion: 'eu-west-1',
      sourceIPAddress: '192.0.2.1',
      userAgent: 'aws-cli/2.15.0',
      requestParameters,
      responseElements: null,
      eventID: '1',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      ...extra,
    } as CognitoApiCallEvent['detail'],
  }
}

const T = Date.parse('2026-11-24T03:00:00Z') + 999

function setup() {
  const pool = fakePool('eu-west-1')
  const queue = fakeQueue()
  const tombstones = createMemoryTombstoneStore()
  const handler = createLifecycleReplicator({
    region: 'eu-west-1',
    userPoolId: pool.userPoolId,
    client: pool.client,
    peerRegions: ['eu-west-1', 'us-east-1', 'ap-south-1'],
    queue: queue.queue,
    tombstones,
    ignorePrincipals: ['arn:aws:iam::123456789012:role/regionless-replication'],
    log: () => {},
  })
  return { pool, queue, tombstones, handler }
}

describe('lifecycle replication (CloudTrail → EventBridge)', () => {
  it('re-reads the user after an attribute change (values are hidden), stamps it, and queues an upsert per peer', async () => {
    const { pool, queue, handler } = setup()
    pool.seed(username, {
      email: 'new@example.com',
      email_verified: 'true',
      'custom:plan': 'team',
      [CHANGED_AT_ATTRIBUTE]: '5',
    })
    const out = await handler(
      apiCall('AdminUpdateUserAttributes', {
        userPoolId: pool.userPoolId,
        username,
        userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      }),
    )
    expect(out).toEqual({ handled: true, kind: 'upsert', username, changedAt: T, messages: 2 })
    expect(pool.users.get(username)?.attributes[CHANGED_AT_ATTRIBUTE]).toBe(
      versionStamp(T, { email: 'new@example.com', email_verified: 'true', 'custom:plan': 'team' }),
    )
    const messages = queue.sent.map((m) => parseMessage(JSON.stringify(m)))
    expect(messages.map((m) => m.targetRegion)).toEqual(['us-east-1', 'ap-south-1'])
    expect(messages[0]).toMatchObject({
      kind: 'upsert',
      changedAt: T,
      attributes: { email: 'new@example.com', email_verified: 'true', 'custom:plan': 'team' },
    })
  })

  it('finds the user of a self-service call by the sub CloudTrail records', async () => {
    const { pool, queue, handler } = setup()
    pool.seed(username, { name: 'Ada' })
    const sub = pool.users.get(username)?.sub as string
    const out = await handler(
      apiCall(
        'UpdateUserAttributes',
        { accessToken: 'HIDDEN_DUE_TO_SECURITY_REASONS', userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        { additionalEventData: { sub } },
      ),
    )
    expect(out).toMatchObject({ handled: true, username })
    expect(queue.sent).toHaveLength(2)
  })

  it('orders a change after the stamp already on the user (second-precision event times)', async () => {
    const { pool, handler } = setup()
    pool.seed(username, { name: 'x', [CHANGED_AT_ATTRIBUTE]: String(T + 5_000) })
    const out = await handler(apiCall('AdminUpdateUserAttributes', { userPoolId: pool.userPoolId, username }))
    expect(out).toMatchObject({ changedAt: T + 5_001 })
  })

  it('queues the current enabled state with its own stamp', async () => {
    const { pool, queue, handler } = setup()
    pool.seed(username, { name: 'x' }, { enabled: false })
    await handler(apiCall('AdminDisableUser', { userPoolId: pool.userPoolId, username }))
    expect(pool.users.get(username)?.attributes[ENABLED_AT_ATTRIBUTE]).toBe(String(T))
    expect(queue.sent.map((m) => (m as { kind: string }).kind)).toEqual(['disable', 'disable'])
  })

  it('records a tombstone and queues deletes', async () => {
    const { queue, tombstones, handler, pool } = setup()
    const out = await handler(apiCall('AdminDeleteUser', { userPoolId: pool.userPoolId, username }))
    expect(out).toMatchObject({ handled: true, kind: 'delete' })
    expect(await tombstones.get(username)).toBe(T)
    // One per peer, and one to this pool: it removes a copy a queued retry re-created before the tombstone.
    expect(queue.sent.map((m) => (m as { targetRegion: string }).targetRegion).sort()).toEqual([
      'ap-south-1',
      'eu-west-1',
      'us-east-1',
    ])
    expect(queue.sent.every((m) => (m as { kind: string; changedAt: number }).kind === 'delete')).toBe(true)
  })

  it.each([
    [
      'replication’s own calls (user agent)',
      apiCall(
        'AdminUpdateUserAttributes',
        { userPoolId: 'eu-west-1_test', username },
        { userAgent: `aws-sdk-js/3.1164.0 ${REPLICATION_USER_AGENT}` },
      ),
    ],
    [
      'replication’s own calls (role)',
      apiCall(
        'AdminDisableUser',
        { userPoolId: 'eu-west-1_test', username },
        {
          userIdentity: {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::123456789012:assumed-role/regionless-replication/x',
            sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/regionless-replication' } },
          },
        },
      ),
    ],
    [
      'failed calls',
      apiCall('AdminDeleteUser', { userPoolId: 'eu-west-1_test', username }, { errorCode: 'UserNotFoundException' }),
    ],
    ['another pool', apiCall('AdminDeleteUser', { userPoolId: 'eu-west-1_other', username })],
    ['other calls', apiCall('InitiateAuth', { authFlow: 'CUSTOM_AUTH' })],
  ])('ignores %s', async (_, event) => {
    const { queue, handler, pool } = setup()
    pool.seed(username, { name: 'x' })
    expect(await handler(event)).toMatchObject({ handled: false })
    expect(queue.sent).toEqual([])
    expect(pool.names().filter((n) => n !== 'AdminGetUser')).toEqual([])
  })

  it('reports a self-service delete it cannot identify instead of guessing', async () => {
    const { queue, handler } = setup()
    const out = await handler(apiCall('DeleteUser', { accessToken: 'HIDDEN_DUE_TO_SECURITY_REASONS' }))
    expect(out).toEqual({ handled: false, reason: 'deleted user cannot be identified' })
    expect(queue.sent).toEqual([])
  })

  it('throws when the queue is unavailable, so EventBridge retries', async () => {
    const { pool, queue, handler } = setup()
    pool.seed(username, { name: 'x' })
    queue.setSendFails(true)
    await expect(handler(apiCall('AdminEnableUser', { userPoolId: pool.userPoolId, username }))).rejects.toThrow(
      'queue unavailable',
    )
  })
})
