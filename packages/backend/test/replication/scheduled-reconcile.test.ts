import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHANGED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import { HIDDEN } from '../../src/replication/cloudtrail-event.js'
import { createReplicationHandlersFromEnv } from '../../src/replication/from-env.js'
import { REPLICATION_METRIC_NAMES } from '../../src/replication/metrics.js'
import { mockDynamo } from '../helpers/aws-fakes.js'
import { fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'

// Defect 2 of issue 17: the deployed reconcile has the tombstone table, and used to re-create a user
// missing from some pools whenever no tombstone said otherwise. A self-service DeleteUser leaves none.

const USERNAME = 'u_0123456789abcdef0123456789abcdef'
const POOLS = JSON.stringify([
  { region: 'eu-west-1', userPoolId: 'eu-west-1_test' },
  { region: 'us-east-1', userPoolId: 'us-east-1_test' },
])

/** The variables the deploy app gives the replication functions of `region` (tombstone table included). */
const envOf = (region: string, extra: Record<string, string> = {}) => ({
  AWS_REGION: region,
  REGIONLESS_USER_POOL_ID: `${region}_test`,
  REGIONLESS_PEER_POOLS: POOLS,
  REGIONLESS_REPLICATION_QUEUE_URL: `https://sqs.${region}.amazonaws.com/1/q`,
  REGIONLESS_TABLE_NAME: 'regionless-single-use',
  // A share of the ListUsers quota the in-memory pools never run out of.
  REGIONLESS_RECONCILE_LIST_USERS_RPS: '1000',
  ...extra,
})

function deployment(extra: Record<string, string> = {}) {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  const { table } = mockDynamo()
  const clients = {
    cognito: (region: string) => (region === 'eu-west-1' ? eu.client : us.client),
    dynamo: new DynamoDBClient({ region: 'eu-west-1' }),
  }
  const handlersIn = (region: string) =>
    createReplicationHandlersFromEnv(envOf(region, extra), { ...clients, sqs: fakeQueue().client })
  // The user, replicated: the same stamped copy in both pools.
  const attributes = { email: 'gone@example.com', email_verified: 'true' }
  const stamp = versionStamp(1_767_225_600_000, attributes)
  eu.seed(USERNAME, { ...attributes, [CHANGED_AT_ATTRIBUTE]: stamp })
  us.seed(USERNAME, { ...attributes, [CHANGED_AT_ATTRIBUTE]: stamp })
  return { eu, us, table, handlersIn }
}

/** The person deletes their account in eu-west-1 with their access token; CloudTrail hides who it was. */
async function selfServiceDelete(d: ReturnType<typeof deployment>) {
  const sub = d.eu.users.get(USERNAME)?.sub as string
  d.eu.users.delete(USERNAME)
  const result = await d.handlersIn('eu-west-1').lifecycle({
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cognito-idp',
    detail: {
      eventSource: 'cognito-idp.amazonaws.com',
      eventName: 'DeleteUser',
      eventTime: new Date().toISOString(),
      awsRegion: 'eu-west-1',
      userAgent: 'Mozilla/5.0',
      userIdentity: { type: 'Unknown' },
      requestParameters: { accessToken: HIDDEN },
      additionalEventData: { sub },
    },
  } as Parameters<ReturnType<typeof createReplicationHandlersFromEnv>['lifecycle']>[0])
  expect(result).toEqual({ handled: false, reason: 'deleted user cannot be identified' })
}

describe('the scheduled reconcile after a self-service DeleteUser', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('leaves the user deleted, reports it, and publishes ReplicationUnresolved', async () => {
    const d = deployment()
    const logged: string[] = []
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(String(line)))
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void logged.push(String(line)))
    await selfServiceDelete(d)
    expect(d.table.size).toBe(0) // nothing could name the user: no tombstone

    const outcome = await d.handlersIn('us-east-1').reconcile()

    expect(d.eu.users.has(USERNAME)).toBe(false)
    expect(d.eu.names()).not.toContain('AdminCreateUser')
    expect(d.us.users.has(USERNAME)).toBe(true)
    expect(outcome).toEqual({ planned: 0, applied: 0, failed: 0, unresolved: 1 })
    const metric = logged
      .map((l) => JSON.parse(l.startsWith('{') ? l : '{}'))
      .find((l) => REPLICATION_METRIC_NAMES.unresolved in l)
    expect(metric).toMatchObject({ Job: 'reconcile', [REPLICATION_METRIC_NAMES.unresolved]: 1 })
    expect(metric._aws.CloudWatchMetrics[0].Dimensions).toContainEqual([])
    expect(logged.some((l) => l.includes('"event":"reconcile.unresolved"') && l.includes(USERNAME))).toBe(true)
  })

  it('re-creates the user only when the deployment asks for it (REGIONLESS_RECONCILE_MISSING=create)', async () => {
    const d = deployment({ REGIONLESS_RECONCILE_MISSING: 'create' })
    vi.spyOn(console, 'log').mockImplementation(() => {})
    await selfServiceDelete(d)
    const outcome = await d.handlersIn('us-east-1').reconcile()
    expect(outcome).toMatchObject({ unresolved: 0, failed: 0 })
    expect(d.eu.users.get(USERNAME)?.attributes.email).toBe('gone@example.com')
  })

  it('refuses any other choice, naming the variable', () => {
    expect(() =>
      createReplicationHandlersFromEnv(envOf('us-east-1', { REGIONLESS_RECONCILE_MISSING: 'guess' })),
    ).toThrow(/^REGIONLESS_RECONCILE_MISSING: must be one of report, create/)
  })
})
