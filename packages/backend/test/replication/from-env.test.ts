import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import {
  type AuthorizedHttpEvent,
  createReplicationHandlersFromEnv,
  parseReplicationEnv,
} from '../../src/replication/from-env.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'

const env = {
  AWS_REGION: 'eu-west-1',
  REGIONLESS_USER_POOL_ID: 'eu-west-1_test',
  REGIONLESS_PEER_POOLS: JSON.stringify([
    { region: 'eu-west-1', userPoolId: 'eu-west-1_test' },
    { region: 'us-east-1', userPoolId: 'us-east-1_test' },
  ]),
  REGIONLESS_REPLICATION_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
  REGIONLESS_REPLICATION_IGNORE_PRINCIPALS: 'arn:aws:iam::1:role/a, arn:aws:iam::1:role/b',
}

describe('replication handlers from the environment', () => {
  it('parses the variables, leaving this region out of the peers', () => {
    expect(parseReplicationEnv(env)).toEqual({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_test',
      peers: [{ region: 'us-east-1', userPoolId: 'us-east-1_test' }],
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q',
      ignorePrincipals: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'],
    })
  })

  it.each([
    ['REGIONLESS_USER_POOL_ID', { ...env, REGIONLESS_USER_POOL_ID: '' }],
    ['REGIONLESS_PEER_POOLS', { ...env, REGIONLESS_PEER_POOLS: '{' }],
    ['REGIONLESS_PEER_POOLS', { ...env, REGIONLESS_PEER_POOLS: '[{"region":"us-east-1","userPoolId":"eu-west-1_x"}]' }],
    ['REGIONLESS_REPLICATION_QUEUE_URL', { ...env, REGIONLESS_REPLICATION_QUEUE_URL: 'queue' }],
    ['AWS_REGION', { ...env, AWS_REGION: undefined }],
  ])('names %s when it is wrong', (variable, bad) => {
    expect(() => parseReplicationEnv(bad)).toThrow(ConfigError)
    expect(() => parseReplicationEnv(bad)).toThrow(new RegExp(`^${variable}: `))
  })

  it('wires the handlers to the given clients', async () => {
    const eu = fakePool('eu-west-1')
    const us = fakePool('us-east-1')
    const queue = fakeQueue(env.REGIONLESS_REPLICATION_QUEUE_URL)
    const handlers = createReplicationHandlersFromEnv(env, {
      cognito: (region) => (region === 'eu-west-1' ? eu.client : us.client),
      sqs: queue.client,
    })
    us.failNext(us.error('InternalErrorException'))
    eu.seed('u_0123456789abcdef0123456789abcdef', { email: 'a@b.co', email_verified: 'true' })
    await handlers.postConfirmation({
      version: '1',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_test',
      userName: 'u_0123456789abcdef0123456789abcdef',
      callerContext: { awsSdkVersion: 'x', clientId: 'c' },
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: { email: 'a@b.co', email_verified: 'true' } },
      response: {},
    })
    expect(queue.sent).toMatchObject([{ kind: 'upsert', targetRegion: 'us-east-1' }])
    const failures = await handlers.replicationWorker({
      Records: [
        {
          messageId: 'm1',
          receiptHandle: 'r1',
          body: JSON.stringify(queue.sent[0]),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '1',
            SenderId: 's',
            ApproximateFirstReceiveTimestamp: '1',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn',
          awsRegion: 'eu-west-1',
        },
      ],
    })
    expect(failures).toEqual({ batchItemFailures: [] })
    expect(us.users.has('u_0123456789abcdef0123456789abcdef')).toBe(true)
  })

  it('answers DELETE /me behind the authorizer: an access token deletes its own account in every pool', async () => {
    const eu = fakePool('eu-west-1')
    const us = fakePool('us-east-1')
    const queue = fakeQueue(env.REGIONLESS_REPLICATION_QUEUE_URL)
    const { accountDeletion } = createReplicationHandlersFromEnv(env, {
      cognito: (region) => (region === 'eu-west-1' ? eu.client : us.client),
      sqs: queue.client,
    })
    const username = 'u_0123456789abcdef0123456789abcdef'
    for (const pool of [eu, us]) pool.seed(username, { email: 'a@b.co', email_verified: 'true' })
    // The issuing pool confirms the token (GetUser): 'live' is good, 'unreachable' meets an outage,
    // anything else was revoked.
    eu.mock.on(GetUserCommand).callsFake(async (input: { AccessToken: string }) => {
      if (input.AccessToken === 'unreachable') throw eu.error('InternalErrorException')
      if (input.AccessToken !== 'live') throw eu.error('NotAuthorizedException', 'Access Token has been revoked')
      return { Username: username, UserAttributes: [] }
    })
    const request = (lambda: Record<string, string>, token = 'live') =>
      ({
        headers: { authorization: `Bearer ${token}` },
        requestContext: { authorizer: { lambda: { userPoolId: 'eu-west-1_test', ...lambda } } },
      }) as unknown as AuthorizedHttpEvent
    // An ID token, or no verified identity, deletes nothing.
    expect(await accountDeletion(request({ username, tokenUse: 'id' }))).toMatchObject({ statusCode: 401 })
    expect(await accountDeletion(request({}))).toMatchObject({ statusCode: 401 })
    expect(eu.users.has(username) && us.users.has(username)).toBe(true)

    // A token its pool no longer accepts (signed out, revoked) deletes nothing, though the authorizer passed it.
    const revoked = await accountDeletion(request({ username, tokenUse: 'access' }, 'revoked'))
    expect(revoked).toMatchObject({ statusCode: 401 })
    expect(JSON.parse(String(revoked.body))).toMatchObject({ error: 'token_revoked' })
    expect(eu.users.has(username) && us.users.has(username)).toBe(true)

    // The issuing pool unreachable: the token is not confirmed, so nothing is deleted.
    expect(await accountDeletion(request({ username, tokenUse: 'access' }, 'unreachable'))).toMatchObject({
      statusCode: 503,
    })
    expect(eu.users.has(username) && us.users.has(username)).toBe(true)

    us.failNext(us.error('InternalErrorException'))
    const out = await accountDeletion(request({ username, tokenUse: 'access' }))
    expect(out.statusCode).toBe(200)
    expect(JSON.parse(String(out.body))).toEqual({ deleted: ['eu-west-1'], absent: [], queued: ['us-east-1'] })
    expect(eu.users.has(username)).toBe(false)
    expect(queue.sent).toMatchObject([{ kind: 'delete', username, targetRegion: 'us-east-1' }])

    // The queue refusing the delete for a region that did not answer: 503, try again.
    us.failNext(us.error('InternalErrorException'))
    queue.setSendFails(true)
    expect(await accountDeletion(request({ username, tokenUse: 'access' }))).toMatchObject({
      statusCode: 503,
      headers: { 'retry-after': '5' },
    })
  })
})
