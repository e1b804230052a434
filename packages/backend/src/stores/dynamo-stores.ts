import { ConditionalCheckFailedException, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import type { SingleUseStore } from './single-use-store.js'

export interface DynamoStoreOptions {
  client: DynamoDBClient
  /** Table with a string partition key (default attribute `pk`) and TTL enabled on `expiresAt`. */
  tableName: string
  /** Partition key attribute name. Default `pk`. */
  keyAttribute?: string
}

/** The partition key attribute, after checking the options common to every store. */
export function storeKeyAttribute(options: DynamoStoreOptions, what: string): string {
  if (!options?.client) throw new TypeError(`${what} needs a DynamoDBClient`)
  if (typeof options.tableName !== 'string' || options.tableName === '') throw new TypeError(`${what} needs tableName`)
  return options.keyAttribute ?? 'pk'
}

export function isConditionFailure(err: unknown): err is ConditionalCheckFailedException {
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
  const pk = storeKeyAttribute(options, 'createDynamoSingleUseStore')
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
