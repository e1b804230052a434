import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDynamoPasskeyStore } from '../../src/passkeys/dynamo-passkey-store.js'
import type { StoredPasskey } from '../../src/passkeys/passkey-store.js'
import { START_MS } from '../helpers/harness.js'

// The repo's DynamoDB fake (helpers/aws-fakes.ts) evaluates only the single-use and budget PutItems; it
// cannot evaluate UpdateItem expressions on nested map attributes. These tests check the commands the
// store sends (keys, expressions, placeholders) and how it reads DynamoDB's answers back.

const USER = 'u_0123456789abcdef0123456789abcdef'
const TABLE = 'regionless'
const client = () => new DynamoDBClient({ region: 'eu-west-1' })
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })

const passkey: StoredPasskey = {
  id: 'Y3JlZC0x',
  publicKey: 'pQECAyYgASFYIA',
  counter: 5,
  name: 'Work laptop',
  createdAt: START_MS,
  registeredRegion: 'eu-west-1',
  backedUp: true,
  deviceType: 'multiDevice',
  transports: ['internal', 'hybrid'],
}

/** DynamoDB refuses placeholders that are defined but unused, and used but undefined: both must match. */
function expectPlaceholdersMatch(input: UpdateItemCommandInput) {
  const text = `${input.UpdateExpression ?? ''} ${input.ConditionExpression ?? ''}`
  const used = (re: RegExp) => [...new Set(text.match(re) ?? [])].sort()
  expect(used(/#[A-Za-z0-9_]+/g)).toEqual(Object.keys(input.ExpressionAttributeNames ?? {}).sort())
  expect(used(/:[A-Za-z0-9_]+/g)).toEqual(Object.keys(input.ExpressionAttributeValues ?? {}).sort())
}

let dynamo: ReturnType<typeof mockClient>
beforeEach(() => {
  dynamo = mockClient(DynamoDBClient)
})
afterEach(() => {
  dynamo.restore()
  vi.useRealTimers()
})

const updates = () => dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input as UpdateItemCommandInput)

describe('DynamoDB passkey store: writes', () => {
  it('adds a passkey as one map attribute of the user item, only if that credential is not there yet', async () => {
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed())
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    expect(await store.add(USER, passkey)).toBe(true)
    expect(await store.add(USER, passkey)).toBe(false)
    const [input] = updates()
    expect(input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: `passkey#${USER}` } },
      UpdateExpression: 'SET #c = :p',
      ConditionExpression: 'attribute_not_exists(#c)',
      ExpressionAttributeNames: { '#c': `cred#${passkey.id}` },
      ExpressionAttributeValues: {
        ':p': {
          M: {
            publicKey: { S: passkey.publicKey },
            counter: { N: '5' },
            name: { S: 'Work laptop' },
            createdAt: { N: String(START_MS) },
            registeredRegion: { S: 'eu-west-1' },
            backedUp: { BOOL: true },
            deviceType: { S: 'multiDevice' },
            transports: { L: [{ S: 'internal' }, { S: 'hybrid' }] },
          },
        },
      },
    })
    expectPlaceholdersMatch(input!)
  })

  it('records a use only if the counter grows (or both are 0), the user item and the credential exist', async () => {
    dynamo.on(UpdateItemCommand).resolves({})
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    expect(await store.recordUse(USER, passkey.id, { counter: 6, at: START_MS, region: 'us-east-1' })).toBe('recorded')
    const [input] = updates()
    expect(input).toMatchObject({
      Key: { pk: { S: `passkey#${USER}` } },
      UpdateExpression: 'SET #c.#counter = :n, #c.lastUsedAt = :at, #c.lastUsedRegion = :region',
      ConditionExpression:
        'attribute_exists(#pk) AND attribute_exists(#c) AND (#c.#counter < :n OR (#c.#counter = :zero AND :n = :zero))',
      ExpressionAttributeNames: { '#pk': 'pk', '#c': `cred#${passkey.id}`, '#counter': 'counter' },
      ExpressionAttributeValues: {
        ':n': { N: '6' },
        ':at': { N: String(START_MS) },
        ':region': { S: 'us-east-1' },
        ':zero': { N: '0' },
      },
    })
    expectPlaceholdersMatch(input!)
    // No GetItem on the happy path: one write per sign-in.
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0)
  })

  it('tells a counter that did not grow from a credential that is gone, by reading the item after a refusal', async () => {
    const stored: Record<string, AttributeValue> = {
      pk: { S: `passkey#${USER}` },
      [`cred#${passkey.id}`]: { M: { publicKey: { S: passkey.publicKey }, counter: { N: '5' } } },
    }
    dynamo.on(UpdateItemCommand).rejects(conditionFailed())
    dynamo.on(GetItemCommand).resolvesOnce({ Item: stored }).resolvesOnce({})
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    const use = { counter: 5, at: START_MS, region: 'eu-west-1' }
    expect(await store.recordUse(USER, passkey.id, use)).toBe('counter-not-greater')
    expect(await store.recordUse(USER, passkey.id, use)).toBe('missing')
  })

  it('lets other DynamoDB errors through (a sign-in fails closed)', async () => {
    dynamo.on(UpdateItemCommand).rejects(Object.assign(new Error('Throttled'), { name: 'ThrottlingException' }))
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    await expect(store.recordUse(USER, passkey.id, { counter: 6, at: 0, region: 'x' })).rejects.toThrow('Throttled')
    await expect(store.add(USER, passkey)).rejects.toThrow('Throttled')
  })

  it('renames one attribute of the map (name is a reserved word: aliased) and returns the passkey as stored', async () => {
    const renamed = { M: { publicKey: { S: passkey.publicKey }, counter: { N: '5' }, name: { S: 'Phone' } } }
    dynamo
      .on(UpdateItemCommand)
      .resolvesOnce({ Attributes: { pk: { S: `passkey#${USER}` }, [`cred#${passkey.id}`]: renamed } })
      .rejectsOnce(conditionFailed())
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    expect(await store.rename(USER, passkey.id, 'Phone')).toMatchObject({ id: passkey.id, name: 'Phone', counter: 5 })
    expect(await store.rename(USER, 'gone', 'Phone')).toBeUndefined()
    const [input] = updates()
    expect(input).toMatchObject({
      UpdateExpression: 'SET #c.#name = :name',
      ConditionExpression: 'attribute_exists(#pk) AND attribute_exists(#c)',
      ExpressionAttributeNames: { '#pk': 'pk', '#c': `cred#${passkey.id}`, '#name': 'name' },
      ReturnValues: 'ALL_NEW',
    })
    expectPlaceholdersMatch(input!)
  })

  it('removes one credential only if it exists, and every passkey of a user with the item', async () => {
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed())
    dynamo.on(DeleteItemCommand).resolves({})
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    expect(await store.remove(USER, passkey.id)).toBe(true)
    expect(await store.remove(USER, passkey.id)).toBe(false)
    const [input] = updates()
    expect(input).toMatchObject({
      Key: { pk: { S: `passkey#${USER}` } },
      UpdateExpression: 'REMOVE #c',
      ConditionExpression: 'attribute_exists(#pk) AND attribute_exists(#c)',
      ExpressionAttributeNames: { '#pk': 'pk', '#c': `cred#${passkey.id}` },
    })
    expectPlaceholdersMatch(input!)
    await store.removeAll(USER)
    expect(dynamo.commandCalls(DeleteItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: `passkey#${USER}` } },
    })
  })

  it('uses the configured key attribute', async () => {
    dynamo.on(UpdateItemCommand).resolves({})
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE, keyAttribute: 'id' })
    await store.remove(USER, passkey.id)
    expect(updates()[0]).toMatchObject({
      Key: { id: { S: `passkey#${USER}` } },
      ExpressionAttributeNames: { '#pk': 'id' },
    })
    expect(() => createDynamoPasskeyStore({ client: client(), tableName: '' })).toThrow(TypeError)
  })
})

describe('DynamoDB passkey store: reads', () => {
  it('lists what add wrote (a round trip through the map), skipping other attributes and broken entries', async () => {
    dynamo.on(UpdateItemCommand).resolves({})
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    const used: StoredPasskey = { ...passkey, id: 'Y3JlZC0y', lastUsedAt: START_MS + 1, lastUsedRegion: 'us-east-1' }
    const { transports: _none, ...withoutTransports } = passkey
    const bare: StoredPasskey = { ...withoutTransports, id: 'Y3JlZC0z', backedUp: false, deviceType: 'singleDevice' }
    for (const p of [passkey, used, bare]) await store.add(USER, p)
    const written = Object.fromEntries(
      updates().map((u) => [u.ExpressionAttributeNames?.['#c'], u.ExpressionAttributeValues?.[':p']]),
    ) as Record<string, AttributeValue>
    dynamo.on(GetItemCommand).resolves({
      Item: { pk: { S: `passkey#${USER}` }, ...written, 'cred#broken': { M: { name: { S: 'x' } } }, other: { S: 'y' } },
    })
    const listed = await store.list(USER)
    expect(listed.sort((a, b) => a.id.localeCompare(b.id))).toEqual([passkey, used, bare])
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: `passkey#${USER}` } },
      ConsistentRead: true,
    })
  })

  it('lists nothing for a user without an item', async () => {
    dynamo.on(GetItemCommand).resolves({})
    expect(await createDynamoPasskeyStore({ client: client(), tableName: TABLE }).list(USER)).toEqual([])
  })

  it('keeps a challenge as its own item with a TTL, and finds it until it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(START_MS)
    const items = new Map<string, Record<string, AttributeValue>>()
    dynamo.on(PutItemCommand).callsFake((input) => void items.set(input.Item.pk.S, input.Item))
    dynamo.on(GetItemCommand).callsFake((input) => ({ Item: items.get(input.Key.pk.S) }))
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    const now = START_MS / 1000
    await store.saveChallenge('abc', { purpose: 'sign-in', expiresAt: now + 299.5 })
    await store.saveChallenge('def', { purpose: 'registration', username: USER, expiresAt: now + 300 })
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { pk: { S: 'challenge#abc' }, purpose: { S: 'sign-in' }, expiresAt: { N: String(now + 300) } },
    })
    expect(await store.findChallenge('abc')).toEqual({ purpose: 'sign-in', expiresAt: now + 300 })
    expect(await store.findChallenge('def')).toEqual({ purpose: 'registration', username: USER, expiresAt: now + 300 })
    expect(await store.findChallenge('nope')).toBeUndefined()
    expect(dynamo.commandCalls(GetItemCommand).every((c) => c.args[0].input.ConsistentRead === true)).toBe(true)
    // DynamoDB's TTL deletes late: an expired item that is still there is not a challenge.
    vi.setSystemTime(START_MS + 300_000)
    expect(await store.findChallenge('abc')).toBeUndefined()
  })

  it('ignores an item under a challenge key that is not one (no purpose, another purpose)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(START_MS)
    const later = { N: String(START_MS / 1000 + 100) }
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: { pk: { S: 'challenge#a' }, expiresAt: later } })
      .resolvesOnce({ Item: { pk: { S: 'challenge#a' }, expiresAt: later, purpose: { S: 'admin' } } })
      .resolvesOnce({ Item: { pk: { S: 'challenge#a' }, purpose: { S: 'sign-in' } } })
    const store = createDynamoPasskeyStore({ client: client(), tableName: TABLE })
    for (let i = 0; i < 3; i++) expect(await store.findChallenge('a')).toBeUndefined()
  })
})
