import { ConditionalCheckFailedException, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import type { SendThrottle } from './send-throttle.js'
import type { SingleUseStore } from './single-use-store.js'

export interface DynamoStoreOptions {
  client: DynamoDBClient
  /** Table with a string partition key (default attribute `pk`) and TTL enabled on `expiresAt`. */
  tableName: string
  /** Partition key attribute name. Default `pk`. */
  keyAttribute?: string
}

function check(options: DynamoStoreOptions, what: string): string {
  if (!options?.client) throw new TypeError(`${what} needs a DynamoDBClient`)
  if (typeof options.tableName !== 'string' || options.tableName === '') throw new TypeError(`${what} needs tableName`)
  return options.keyAttribute ?? 'pk'
}

function isConditionFailure(err: unknown): err is ConditionalCheckFailedException {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: unknown })?.name === 'ConditionalCheckFailedException'
  )
}

/**
 * A {@link SingleUseStore} on DynamoDB: `PutItem` with
 * `attribute_not_exists(pk)`, so of two concurrent redemptions in one region
 * exactly one wins. Items carry `expiresAt` for DynamoDB TTL. Use a global
 * table so every region sees spent ids (see docs/security.md for the
 * replication window, and multi-region strong consistency to close it).
 *
 * @example
 * const store = createDynamoSingleUseStore({ client: new DynamoDBClient({}), tableName: 'regionless-single-use' })
 */
export function createDynamoSingleUseStore(options: DynamoStoreOptions): SingleUseStore {
  const pk = check(options, 'createDynamoSingleUseStore')
  return {
    async consume(key, expiresAt) {
      try {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: { [pk]: { S: key }, expiresAt: { N: String(Math.ceil(expiresAt)) } },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': pk },
          }),
        )
        return true
      } catch (err) {
        if (isConditionFailure(err)) return false
        throw err
      }
    },
  }
}

/**
 * A {@link SendThrottle} on DynamoDB: one item per user holding the time of
 * the last send, replaced only if absent or older than the interval (a
 * conditional `PutItem`), so concurrent requests cannot both send. On refusal
 * the old item comes back (`ReturnValuesOnConditionCheckFailure`) to compute
 * how long to wait without a second read.
 *
 * @example
 * const throttle = createDynamoSendThrottle({ client: new DynamoDBClient({}), tableName: 'regionless-single-use' })
 */
export function createDynamoSendThrottle(options: DynamoStoreOptions): SendThrottle {
  const pk = check(options, 'createDynamoSendThrottle')
  return {
    async acquire(key, intervalSeconds, now) {
      try {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: {
              [pk]: { S: key },
              sentAt: { N: String(now) },
              expiresAt: { N: String(Math.ceil(now + intervalSeconds)) },
            },
            ConditionExpression: 'attribute_not_exists(#pk) OR sentAt <= :threshold',
            ExpressionAttributeNames: { '#pk': pk },
            ExpressionAttributeValues: { ':threshold': { N: String(now - intervalSeconds) } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        return { allowed: true }
      } catch (err) {
        if (!isConditionFailure(err)) throw err
        const previous = Number(err.Item?.sentAt?.N)
        const wait = Number.isFinite(previous) ? previous + intervalSeconds - now : intervalSeconds
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) }
      }
    },
  }
}
