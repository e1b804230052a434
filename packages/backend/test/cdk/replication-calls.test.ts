import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Template } from 'aws-cdk-lib/assertions'
import type { PostConfirmationTriggerEvent } from 'aws-lambda'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createDynamoPasskeyStore } from '../../src/passkeys/dynamo-passkey-store.js'
import { CHANGED_AT_ATTRIBUTE, ENABLED_AT_ATTRIBUTE, versionStamp } from '../../src/replication/attributes.js'
import { createAccountDeletion } from '../../src/replication/delete-account.js'
import { createReplicationHandlersFromEnv } from '../../src/replication/from-env.js'
import { createMessage, type MessageKind } from '../../src/replication/message.js'
import { type Cfn, exampleConfig, synthExample, templatesOf } from '../helpers/cdk-fixtures.js'
import { type FakePool, fakePool } from '../helpers/fake-pool.js'
import { fakeQueue } from '../helpers/fake-queue.js'
import { mockPasskeyDynamo } from '../helpers/passkey-dynamo.js'
import { adminCallEvent, sqsEvent } from '../helpers/replication-events.js'

// Issue 17: the deployed reconcile's role lacked calls its code made on its own pool. This test does not
// list what each function calls: it runs every replication handler through each of its paths (the Cognito
// and SQS fakes are held to the emulator by the contract tests), records every AWS call it makes and where,
// and checks that the role the deploy app gives that function allows each one. A call the code starts
// making fails here until the template grants it.

interface Call {
  action: string
  /** `local` (this region's pool), `peer` (another region's pool), or the service's resource. */
  on: 'local' | 'peer' | 'queue' | 'table'
  /** For a table call: the item's key, which the statement's `dynamodb:LeadingKeys` must allow. */
  key?: string
}

const LOCAL = 'eu-west-1'
const POOLS = JSON.stringify([
  { region: 'eu-west-1', userPoolId: 'eu-west-1_test' },
  { region: 'us-east-1', userPoolId: 'us-east-1_test' },
])
const SQS_ACTION: Record<string, string> = {
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
}
const name = (i: number) => `u_${String(i).padStart(32, '0')}`
const stamped = (at: number, attributes: Record<string, string>) => ({
  ...attributes,
  [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
})
const person = (i: number) => ({ email: `p${i}@example.com`, email_verified: 'true' })

/** One deployment's eu-west-1 handlers over fakes that record every call. */
function deployment(env: Record<string, string> = {}) {
  const eu = fakePool('eu-west-1')
  const us = fakePool('us-east-1')
  const queue = fakeQueue()
  const { dynamo, table } = mockPasskeyDynamo()
  const handlers = createReplicationHandlersFromEnv(
    {
      AWS_REGION: LOCAL,
      REGIONLESS_USER_POOL_ID: eu.userPoolId,
      REGIONLESS_PEER_POOLS: POOLS,
      REGIONLESS_REPLICATION_QUEUE_URL: queue.queueUrl,
      REGIONLESS_REPLICATION_DLQ_URL: `${queue.queueUrl}-dlq`,
      REGIONLESS_TABLE_NAME: 'regionless-single-use',
      REGIONLESS_RECONCILE_LIST_USERS_RPS: '1000',
      // The example deployment has passkeys on: a deleted user's passkeys go too.
      REGIONLESS_REMOVE_PASSKEYS: 'true',
      ...env,
    },
    {
      cognito: (region) => (region === LOCAL ? eu.client : us.client),
      sqs: queue.client,
      dynamo: new DynamoDBClient({ region: LOCAL }),
    },
  )
  const recorded = (): Call[] => [
    ...([eu, us] as FakePool[]).flatMap((pool) =>
      pool.calls.map((c) => ({
        action: `cognito-idp:${c.command}`,
        on: (pool.region === LOCAL ? 'local' : 'peer') as Call['on'],
      })),
    ),
    ...queue.mock.calls().map((c) => {
      const command = (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '')
      return { action: SQS_ACTION[command] ?? `sqs:${command}`, on: 'queue' as const }
    }),
    ...dynamo.calls().map((c: Cfn) => ({
      action: `dynamodb:${c.args[0].constructor.name.replace(/Command$/, '')}`,
      on: 'table' as const,
      key: String(c.args[0].input.Key?.pk?.S ?? c.args[0].input.Item?.pk?.S),
    })),
  ]
  return { eu, us, queue, table, handlers, recorded }
}

let changedAt = 5_000
/** The worker's batch: one message per change, from us-east-1 (the queue envelope is the shared helper's). */
const batch = (
  changes: { kind: MessageKind; username: string; target: string; attributes?: Record<string, string> }[],
) =>
  sqsEvent(
    changes.map(({ kind, username, target, attributes }) =>
      createMessage({
        kind,
        username,
        ...(attributes && { attributes }),
        sourceRegion: 'us-east-1',
        targetRegion: target,
        changedAt: ++changedAt,
      }),
    ),
  )

/** A CloudTrail event of this region's pool; a self-service call carries the caller's `sub`. */
function cloudTrail(eventName: string, parameters: Record<string, unknown>, sub?: string) {
  const event = adminCallEvent(eventName, LOCAL, new Date().toISOString(), {
    userPoolId: 'eu-west-1_test',
    ...parameters,
  })
  if (sub) event.detail.additionalEventData = { sub }
  return event
}

/** Each function (its deployed name) and a run of its handler through every path it has. */
const RUNS: Record<string, () => Promise<Call[]>> = {
  async 'post-confirmation'() {
    const d = deployment()
    d.eu.seed(name(1), person(1))
    d.eu.seed(name(2), person(2))
    d.us.seed(name(2), { ...stamped(1, person(2)), 'custom:old': 'x' }) // signed up there too, older
    for (const username of [name(1), name(2)]) {
      await d.handlers.postConfirmation({
        version: '1',
        region: LOCAL,
        userPoolId: d.eu.userPoolId,
        userName: username,
        callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        request: { userAttributes: { sub: 's', ...(d.eu.users.get(username)?.attributes ?? {}) } },
        response: {},
      } as PostConfirmationTriggerEvent)
    }
    d.us.failNext(d.us.error('InternalErrorException')) // a peer that fails: the copy is queued
    d.eu.seed(name(3), person(3))
    await d.handlers.postConfirmation({
      version: '1',
      region: LOCAL,
      userPoolId: d.eu.userPoolId,
      userName: name(3),
      callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: { sub: 's3', ...person(3) } },
      response: {},
    } as PostConfirmationTriggerEvent)
    return d.recorded()
  },
  async 'replication-worker'() {
    const d = deployment()
    d.us.seed(name(2), { ...stamped(1, person(2)), 'custom:old': 'x' })
    d.us.seed(name(3), stamped(1, person(3)))
    d.us.seed(name(4), stamped(1, person(4)))
    d.eu.seed(name(5), stamped(1, person(5)))
    const target = 'us-east-1'
    await d.handlers.replicationWorker(
      batch([
        { kind: 'upsert', username: name(1), target, attributes: person(1) },
        { kind: 'upsert', username: name(2), target, attributes: { ...person(2), name: 'Two' } },
        { kind: 'disable', username: name(3), target },
        { kind: 'enable', username: name(3), target },
        { kind: 'delete', username: name(4), target },
        // A region's message to itself (its own stamp, a delete queued there too).
        { kind: 'upsert', username: name(5), target: LOCAL, attributes: { ...person(5), name: 'Five' } },
        { kind: 'disable', username: name(5), target: LOCAL },
        { kind: 'enable', username: name(5), target: LOCAL },
        { kind: 'delete', username: name(5), target: LOCAL },
      ]),
    )
    d.eu.seed(name(6), { ...stamped(1, person(6)), 'custom:old': 'x' })
    await d.handlers.replicationWorker(
      batch([{ kind: 'upsert', username: name(6), target: LOCAL, attributes: { ...person(6) } }]),
    )
    await d.handlers.replicationWorker(
      batch([{ kind: 'upsert', username: name(7), target: LOCAL, attributes: person(7) }]),
    )
    return d.recorded()
  },
  async lifecycle() {
    const d = deployment()
    d.eu.seed(name(1), person(1))
    d.eu.seed(name(2), person(2))
    await d.handlers.lifecycle(cloudTrail('AdminUpdateUserAttributes', { username: name(1) }))
    await d.handlers.lifecycle(
      cloudTrail('UpdateUserAttributes', { accessToken: 'HIDDEN' }, d.eu.users.get(name(2))?.sub),
    )
    await d.handlers.lifecycle(cloudTrail('AdminDisableUser', { username: name(1) }))
    d.eu.users.delete(name(2))
    await d.handlers.lifecycle(cloudTrail('AdminDeleteUser', { username: name(2) }))
    expect(d.recorded()).toContainEqual({ action: 'dynamodb:DeleteItem', on: 'table', key: `passkey#${name(2)}` })
    return d.recorded()
  },
  async reconcile() {
    // A deployment that re-creates missing users (replication.reconcileMissing: create) may do everything.
    const d = deployment({ REGIONLESS_RECONCILE_MISSING: 'create' })
    // Drift of every kind, in both directions, so repairs land in both pools.
    for (let i = 0; i < 8; i++) {
      d.eu.seed(name(i), stamped(100, person(i)))
      d.us.seed(name(i), stamped(100, person(i)))
    }
    d.eu.seed(name(20), stamped(100, person(20))) // missing in us
    d.us.seed(name(21), stamped(100, person(21))) // missing in eu
    d.us.seed(name(1), stamped(300, { ...person(1), name: 'New' })) // newer in us, with an attribute to remove in eu
    Object.assign(d.eu.users.get(name(1))?.attributes ?? {}, { 'custom:old': 'x' })
    d.eu.seed(name(2), stamped(300, { ...person(2), name: 'New' })) // newer in eu, with an attribute to remove there
    Object.assign(d.us.users.get(name(2))?.attributes ?? {}, { 'custom:old': 'x' })
    d.us.seed(name(3), { ...stamped(100, person(3)), [ENABLED_AT_ATTRIBUTE]: '500' }, { enabled: false })
    d.eu.seed(name(4), { ...stamped(100, person(4)), [ENABLED_AT_ATTRIBUTE]: '500' }, { enabled: false })
    d.eu.seed(name(5), { ...stamped(100, person(5)), [ENABLED_AT_ATTRIBUTE]: '600' }, { enabled: true })
    Object.assign(d.us.users.get(name(5)) ?? {}, { enabled: false })
    Object.assign(d.eu.users.get(name(0)) ?? {}, { enabled: false }) // enabled later in us
    Object.assign(d.us.users.get(name(0))?.attributes ?? {}, { [ENABLED_AT_ATTRIBUTE]: '700' })
    d.us.users.get(name(6)) && Object.assign(d.us.users.get(name(6)) ?? {}, { status: 'FORCE_CHANGE_PASSWORD' })
    d.us.users.delete(name(7)) // deleted in us, a tombstone says so: deleted in eu too
    d.table.set(`tombstone#${name(7)}`, { pk: { S: `tombstone#${name(7)}` }, deletedAt: { N: '200' } })
    const { shards } = (await d.handlers.reconcile({ step: 'plan' })) as { shards: { shard: string }[] }
    for (const { shard } of shards) await d.handlers.reconcile({ step: 'shard', shard })
    await d.handlers.reconcile({ step: 'report' })
    return d.recorded()
  },
  async 'account-deletion'() {
    // What the DELETE /me handler runs once the issuing pool has confirmed the token (GetUser needs no IAM).
    const d = deployment()
    d.eu.seed(name(1), person(1))
    d.us.seed(name(1), person(1))
    const clients = (pool: FakePool) => ({ region: pool.region, userPoolId: pool.userPoolId, client: pool.client })
    const table = { client: new DynamoDBClient({ region: LOCAL }), tableName: 'regionless-single-use' }
    const deleteAccount = createAccountDeletion({
      passkeys: createDynamoPasskeyStore(table),
      region: LOCAL,
      pools: [clients(d.eu), clients(d.us)],
      queue: d.queue.queue,
      tombstones: (await import('../../src/replication/tombstones.js')).createDynamoTombstoneStore({
        client: new DynamoDBClient({ region: LOCAL }),
        tableName: 'regionless-single-use',
      }),
    })
    d.us.setHang(true) // a pool that does not answer: its delete is queued
    expect((await deleteAccount(name(1))).passkeysRemoved).toBe(true)
    return d.recorded()
  },
}

let eu: Template
beforeAll(() => {
  const { app, stacks } = synthExample(exampleConfig())
  ;[eu] = templatesOf(app, [stacks.regions[0]!]) as [Template]
}, 120_000)

function statementsOf(fn: string): Array<Record<string, Cfn>> {
  const [props] = (
    Object.values(
      eu.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `regionless-${fn}` } }),
    ) as Cfn[]
  ).map((f) => f.Properties)
  const roleId = props.Role['Fn::GetAtt'][0]
  return (Object.values(eu.findResources('AWS::IAM::Policy')) as Cfn[])
    .filter((p) => p.Properties.Roles.some((r: Cfn) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
}

function allows(statements: Array<Record<string, Cfn>>, call: Call): boolean {
  const [poolId] = Object.keys(eu.findResources('AWS::Cognito::UserPool'))
  return statements.some((s) => {
    if (s.Effect !== 'Allow' || !([s.Action].flat() as string[]).includes(call.action)) return false
    const resource = JSON.stringify(s.Resource)
    const patterns: string[] | undefined = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']
    if (call.key !== undefined && !patterns?.some((p) => call.key?.startsWith(p.replace(/\*$/, '')))) return false
    const where: Record<Call['on'], boolean> = {
      local: resource.includes(JSON.stringify({ Ref: poolId })) || resource.includes(`"${poolId}","Arn"`),
      peer: resource.includes('userpool/us-east-1_EXAMPLE02'),
      queue: resource.includes('Queue'),
      table: resource.includes(':table/regionless-single-use'),
    }
    return where[call.on]
  })
}

describe('each replication function’s role allows every call its code makes (recorded from a run)', () => {
  it.each(Object.keys(RUNS))('%s', async (fn) => {
    vi.spyOn(console, 'log').mockImplementation(() => {})
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const calls = await RUNS[fn]!()
    vi.restoreAllMocks()
    const distinct = [...new Map(calls.map((c) => [`${c.action} on ${c.on} ${c.key ?? ''}`, c])).values()]
    expect(distinct.length).toBeGreaterThan(1)
    const statements = statementsOf(fn)
    const denied = distinct.filter((c) => !allows(statements, c)).map((c) => `${c.action} on ${c.key ?? c.on}`)
    expect(denied).toEqual([])
  })

  it('records the calls that were denied before the fix: reconcile repairs its own pool', async () => {
    const calls = await RUNS.reconcile!()
    const local = new Set(calls.filter((c) => c.on === 'local').map((c) => c.action))
    for (const action of [
      'AdminCreateUser',
      'AdminUpdateUserAttributes',
      'AdminDeleteUserAttributes',
      'AdminDisableUser',
      'AdminEnableUser',
      'AdminDeleteUser',
      'AdminSetUserPassword',
    ])
      expect([...local]).toContain(`cognito-idp:${action}`)
  })
})
