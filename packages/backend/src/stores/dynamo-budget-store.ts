import { type AttributeValue, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { type BudgetStore, nextRecord } from './budget-store.js'
import { type DynamoStoreOptions, isConditionFailure, storeKeyAttribute } from './dynamo-stores.js'

export interface DynamoBudgetStoreOptions extends DynamoStoreOptions {
  /** The region this function runs in: the only one whose items it writes. */
  region: string
  /** Every region of the deployment (the global table's replicas): their items are summed. */
  regions: string[]
}

/** Optimistic writes of one item: a concurrent one in this region makes us read again, a few times. */
const MAX_WRITE_TRIES = 5

const itemKey = (key: string, region: string) => `${key}#${region}`

function parse(item: Record<string, AttributeValue> | undefined): { version: number; events: number[] } {
  const events = (item?.events?.L ?? []).map((v) => Number(v.N)).filter(Number.isFinite)
  return { version: Number(item?.version?.N ?? 0), events }
}

/**
 * A {@link BudgetStore} on a DynamoDB global table: one item per key and region (`<key>#<region>`,
 * a list of event times and a version), written only by its region with a conditional `PutItem` on
 * the version (atomic in that region), read in every region with `GetItem` (strongly consistent for
 * the replica at hand, so this region's writes are exact and the others' are as replicated).
 *
 * @example
 * const budgets = createDynamoBudgetStore({ client, tableName, region: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] })
 */
export function createDynamoBudgetStore(options: DynamoBudgetStoreOptions): BudgetStore {
  const pk = storeKeyAttribute(options, 'createDynamoBudgetStore')
  const { client, tableName, region } = options
  if (typeof region !== 'string' || region === '') throw new TypeError('createDynamoBudgetStore needs region')
  if (!Array.isArray(options.regions) || !options.regions.includes(region)) {
    throw new TypeError('createDynamoBudgetStore needs regions, this region among them')
  }
  const regions = [...new Set(options.regions)]

  async function read(key: string, from: string) {
    const command = new GetItemCommand({
      TableName: tableName,
      Key: { [pk]: { S: itemKey(key, from) } },
      ConsistentRead: true,
    })
    return parse((await client.send(command)).Item)
  }

  async function readAll(key: string) {
    const records = await Promise.all(regions.map((from) => read(key, from)))
    return { own: records[regions.indexOf(region)]!, all: records.flatMap((r) => r.events) }
  }

  const after = (events: number[], since: number) => events.filter((t) => t >= since).sort((a, b) => a - b)

  return {
    region,
    async events(key, since) {
      return after((await readAll(key)).all, since)
    },
    async record(key, at, { since, keep, expiresAt, admit }) {
      for (let tries = 1; ; tries++) {
        const { own, all } = await readAll(key)
        const events = after(all, since)
        if (admit && !admit(events, after(own.events, since))) return { recorded: false, events }
        try {
          await client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                [pk]: { S: itemKey(key, region) },
                version: { N: String(own.version + 1) },
                events: { L: nextRecord(own.events, at, since, keep).map((t) => ({ N: String(t) })) },
                expiresAt: { N: String(Math.ceil(expiresAt)) },
              },
              ConditionExpression: 'attribute_not_exists(#pk) OR #version = :version',
              ExpressionAttributeNames: { '#pk': pk, '#version': 'version' },
              ExpressionAttributeValues: { ':version': { N: String(own.version) } },
            }),
          )
          return { recorded: true, events: after([...all, at], since) }
        } catch (err) {
          if (!isConditionFailure(err) || tries >= MAX_WRITE_TRIES) throw err
        }
      }
    },
  }
}
