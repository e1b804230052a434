import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { tombstoneKey } from '../stores/keys.js'

/**
 * Remembers when a user was deleted, so that an older change arriving later
 * (a retry, a redriven message, a slow peer) cannot bring the user back.
 * `put` keeps the latest time. Every region must see the same tombstones:
 * in AWS a DynamoDB global table (the single-use table serves), locally a
 * memory store shared by the regions.
 */
export interface TombstoneStore {
  get(username: string): Promise<number | undefined>
  put(username: string, deletedAt: number): Promise<void>
}

/** Tombstones in memory, for the emulator and tests. */
export function createMemoryTombstoneStore(): TombstoneStore & { size(): number } {
  const deleted = new Map<string, number>()
  return {
    async get(username) {
      return deleted.get(username.toLowerCase())
    },
    async put(username, deletedAt) {
      const key = username.toLowerCase()
      deleted.set(key, Math.max(deletedAt, deleted.get(key) ?? 0))
    },
    size: () => deleted.size,
  }
}

export interface DynamoTombstoneOptions {
  client: DynamoDBClient
  tableName: string
  /** Partition key attribute. Default `pk`. */
  keyAttribute?: string
  /** How long a tombstone is kept (DynamoDB TTL on `expiresAt`); longer than SQS retention. Default 30 days. */
  retentionSeconds?: number
}

/**
 * Tombstones in DynamoDB: item `tombstone#<username>` with `deletedAt`,
 * written only when newer (a conditional put), expiring through TTL.
 *
 * @example
 * const tombstones = createDynamoTombstoneStore({ client: new DynamoDBClient({}), tableName: 'regionless-single-use' })
 */
export function createDynamoTombstoneStore(options: DynamoTombstoneOptions): TombstoneStore {
  if (!options?.client) throw new TypeError('createDynamoTombstoneStore needs a DynamoDBClient')
  if (typeof options.tableName !== 'string' || !options.tableName)
    throw new TypeError('createDynamoTombstoneStore needs tableName')
  const pk = options.keyAttribute ?? 'pk'
  const retention = options.retentionSeconds ?? 30 * 86_400
  return {
    async get(username) {
      const out = await options.client.send(
        new GetItemCommand({
          TableName: options.tableName,
          Key: { [pk]: { S: tombstoneKey(username) } },
          ConsistentRead: true,
        }),
      )
      const value = Number(out.Item?.deletedAt?.N)
      return Number.isFinite(value) && value > 0 ? value : undefined
    },
    async put(username, deletedAt) {
      try {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: {
              [pk]: { S: tombstoneKey(username) },
              deletedAt: { N: String(deletedAt) },
              expiresAt: { N: String(Math.ceil(deletedAt / 1000) + retention) },
            },
            ConditionExpression: 'attribute_not_exists(#pk) OR deletedAt < :t',
            ExpressionAttributeNames: { '#pk': pk },
            ExpressionAttributeValues: { ':t': { N: String(deletedAt) } },
          }),
        )
      } catch (err) {
        // A newer tombstone is already there: nothing to do.
        if ((err as { name?: string })?.name !== 'ConditionalCheckFailedException') throw err
      }
    },
  }
}
