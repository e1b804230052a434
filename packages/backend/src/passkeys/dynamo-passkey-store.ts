import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { type DynamoStoreOptions, isConditionFailure, storeKeyAttribute } from '../stores/dynamo-stores.js'
import { challengeKey, passkeysKey } from '../stores/keys.js'
import type { ChallengeRecord, PasskeyStore, StoredPasskey } from './passkey-store.js'

// One item per user (`passkey#<username>`) with one map attribute per credential (`cred#<id>`): a
// sign-in reads one item, and each write touches one attribute with a condition, so there is no
// read-modify-write of the whole list. (A user keeps at most MAX_PASSKEYS; the item stays far below
// DynamoDB's 400 KB.)
const CREDENTIAL_PREFIX = 'cred#'

const S = (value: string): AttributeValue => ({ S: value })
const N = (value: number): AttributeValue => ({ N: String(value) })

function toMap(passkey: StoredPasskey): AttributeValue {
  const { id: _id, transports, lastUsedAt, lastUsedRegion, ...rest } = passkey
  const map: Record<string, AttributeValue> = {
    publicKey: S(rest.publicKey),
    counter: N(rest.counter),
    name: S(rest.name),
    createdAt: N(rest.createdAt),
    registeredRegion: S(rest.registeredRegion),
    backedUp: { BOOL: rest.backedUp },
    deviceType: S(rest.deviceType),
  }
  if (transports?.length) map.transports = { L: transports.map(S) }
  if (lastUsedAt !== undefined) map.lastUsedAt = N(lastUsedAt)
  if (lastUsedRegion !== undefined) map.lastUsedRegion = S(lastUsedRegion)
  return { M: map }
}

function fromMap(id: string, value: AttributeValue | undefined): StoredPasskey | undefined {
  const m = value?.M
  if (!m?.publicKey?.S || m.counter?.N === undefined) return undefined
  const passkey: StoredPasskey = {
    id,
    publicKey: m.publicKey.S,
    counter: Number(m.counter.N),
    name: m.name?.S ?? 'Passkey',
    createdAt: Number(m.createdAt?.N ?? 0),
    registeredRegion: m.registeredRegion?.S ?? '',
    backedUp: m.backedUp?.BOOL === true,
    deviceType: m.deviceType?.S === 'multiDevice' ? 'multiDevice' : 'singleDevice',
  }
  const transports = m.transports?.L?.map((t) => t.S).filter((t): t is string => typeof t === 'string')
  if (transports?.length) passkey.transports = transports
  if (m.lastUsedAt?.N !== undefined) passkey.lastUsedAt = Number(m.lastUsedAt.N)
  if (m.lastUsedRegion?.S !== undefined) passkey.lastUsedRegion = m.lastUsedRegion.S
  return passkey
}

/**
 * A {@link PasskeyStore} on the shared DynamoDB table (a global table in AWS: every region reads the
 * same passkeys). Reads are strongly consistent for the replica at hand; conditions are checked
 * against it, so the counter check is atomic within a region and as replicated across regions
 * (docs/security.md, "Passkeys").
 *
 * @example
 * const passkeys = createDynamoPasskeyStore({ client: new DynamoDBClient({}), tableName: 'regionless-single-use' })
 */
export function createDynamoPasskeyStore(options: DynamoStoreOptions): PasskeyStore {
  const pk = storeKeyAttribute(options, 'createDynamoPasskeyStore')
  const { client, tableName } = options
  const key = (username: string) => ({ [pk]: S(passkeysKey(username)) })
  const names = (id: string) => ({ '#pk': pk, '#c': CREDENTIAL_PREFIX + id })

  async function conditional(command: UpdateItemCommand): Promise<Record<string, AttributeValue> | undefined> {
    try {
      return (await client.send(command)).Attributes ?? {}
    } catch (err) {
      if (isConditionFailure(err)) return undefined
      throw err
    }
  }

  return {
    async list(username) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(username), ConsistentRead: true }),
      )
      return Object.entries(Item ?? {})
        .filter(([name]) => name.startsWith(CREDENTIAL_PREFIX))
        .map(([name, value]) => fromMap(name.slice(CREDENTIAL_PREFIX.length), value))
        .filter((p): p is StoredPasskey => p !== undefined)
    },
    async add(username, passkey) {
      const done = await conditional(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(username),
          UpdateExpression: 'SET #c = :p',
          ConditionExpression: 'attribute_not_exists(#c)',
          ExpressionAttributeNames: { '#c': CREDENTIAL_PREFIX + passkey.id },
          ExpressionAttributeValues: { ':p': toMap(passkey) },
        }),
      )
      return done !== undefined
    },
    async recordUse(username, id, use) {
      const done = await conditional(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(username),
          UpdateExpression: 'SET #c.#counter = :n, #c.lastUsedAt = :at, #c.lastUsedRegion = :region',
          // Grows, or stays 0 for an authenticator that keeps no counter (synced passkeys).
          ConditionExpression:
            'attribute_exists(#pk) AND attribute_exists(#c) AND (#c.#counter < :n OR (#c.#counter = :zero AND :n = :zero))',
          ExpressionAttributeNames: { ...names(id), '#counter': 'counter' },
          ExpressionAttributeValues: {
            ':n': N(use.counter),
            ':at': N(use.at),
            ':region': S(use.region),
            ':zero': N(0),
          },
        }),
      )
      if (done !== undefined) return 'recorded'
      return (await this.list(username)).some((p) => p.id === id) ? 'counter-not-greater' : 'missing'
    },
    async rename(username, id, name) {
      const done = await conditional(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(username),
          UpdateExpression: 'SET #c.#name = :name',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_exists(#c)',
          ExpressionAttributeNames: { ...names(id), '#name': 'name' },
          ExpressionAttributeValues: { ':name': S(name) },
          ReturnValues: 'ALL_NEW',
        }),
      )
      return done === undefined ? undefined : fromMap(id, done[CREDENTIAL_PREFIX + id])
    },
    async remove(username, id) {
      const done = await conditional(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(username),
          UpdateExpression: 'REMOVE #c',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_exists(#c)',
          ExpressionAttributeNames: names(id),
        }),
      )
      return done !== undefined
    },
    async removeAll(username) {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(username) }))
    },
    async saveChallenge(challenge, record) {
      const item: Record<string, AttributeValue> = {
        [pk]: S(challengeKey(challenge)),
        purpose: S(record.purpose),
        expiresAt: N(Math.ceil(record.expiresAt)),
      }
      if (record.username !== undefined) item.username = S(record.username)
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }))
    },
    async findChallenge(challenge) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { [pk]: S(challengeKey(challenge)) }, ConsistentRead: true }),
      )
      const expiresAt = Number(Item?.expiresAt?.N)
      const purpose = Item?.purpose?.S
      // TTL deletes expired items within days, not at once: the time is checked here.
      if (!Number.isFinite(expiresAt) || expiresAt <= Date.now() / 1000) return undefined
      if (purpose !== 'sign-in' && purpose !== 'registration') return undefined
      const record: ChallengeRecord = { purpose, expiresAt }
      if (Item?.username?.S !== undefined) record.username = Item.username.S
      return record
    },
  }
}
