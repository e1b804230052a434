import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { createDynamoBudgetStore } from '../src/stores/dynamo-budget-store.js'
import { createDynamoSingleUseStore } from '../src/stores/dynamo-stores.js'
import { mockDynamo } from './helpers/aws-fakes.js'

const client = () => new DynamoDBClient({ region: 'eu-west-1' })

describe('DynamoDB single-use store', () => {
  it('spends a key with a conditional PutItem: true the first time, false after', async () => {
    const { dynamo, table } = mockDynamo()
    const store = createDynamoSingleUseStore({ client: client(), tableName: 'regionless' })
    expect(await store.consume('link#jti-1', 1_768_479_300)).toBe(true)
    expect(await store.consume('link#jti-1', 1_768_479_300)).toBe(false)
    expect(await store.consume('bridge#iss#jti-1', 1_768_479_300)).toBe(true)
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'regionless',
      Item: { pk: { S: 'link#jti-1' }, expiresAt: { N: '1768479300' } },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    })
    expect([...table.keys()]).toEqual(['link#jti-1', 'bridge#iss#jti-1'])
  })

  it('lets other DynamoDB errors through, so a sign-in fails closed', async () => {
    const { dynamo } = mockDynamo()
    dynamo
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }))
    const store = createDynamoSingleUseStore({ client: client(), tableName: 'regionless' })
    await expect(store.consume('link#jti-1', 1)).rejects.toThrow('Rate exceeded')
  })

  it('validates its options', () => {
    expect(() => createDynamoSingleUseStore({ client: client(), tableName: '' })).toThrow(TypeError)
  })
})

describe('DynamoDB budget store', () => {
  const regions = ['eu-west-1', 'us-east-1']
  const options = (admit?: (events: number[]) => boolean) => ({ since: 900, keep: 3, expiresAt: 4600, admit })

  it('writes only its own region’s item, with a version, and reads every region’s', async () => {
    const { dynamo, table } = mockDynamo()
    const eu = createDynamoBudgetStore({ client: client(), tableName: 'regionless', region: 'eu-west-1', regions })
    const us = createDynamoBudgetStore({ client: client(), tableName: 'regionless', region: 'us-east-1', regions })
    expect(await eu.record('budget#send#u_1', 1000, options())).toEqual({ recorded: true, events: [1000] })
    expect(await us.record('budget#send#u_1', 1010, options())).toEqual({ recorded: true, events: [1000, 1010] })
    expect(await eu.events('budget#send#u_1', 0)).toEqual([1000, 1010])
    expect(table.get('budget#send#u_1#eu-west-1')).toEqual({
      pk: { S: 'budget#send#u_1#eu-west-1' },
      version: { N: '1' },
      events: { L: [{ N: '1000' }] },
      expiresAt: { N: '4600' },
    })
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: 'attribute_not_exists(#pk) OR #version = :version',
      ExpressionAttributeValues: { ':version': { N: '0' } },
    })
    expect(dynamo.commandCalls(GetItemCommand).every((c) => c.args[0].input.ConsistentRead === true)).toBe(true)
  })

  it('records only what `admit` accepts, and keeps the newest events after `since`', async () => {
    const { table } = mockDynamo()
    const eu = createDynamoBudgetStore({ client: client(), tableName: 'regionless', region: 'eu-west-1', regions })
    for (const at of [800, 950, 960, 970, 980]) await eu.record('k', at, options())
    expect(table.get('k#eu-west-1')?.events).toEqual({ L: [{ N: '960' }, { N: '970' }, { N: '980' }] })
    expect(
      await eu.record(
        'k',
        990,
        options((events) => events.length < 3),
      ),
    ).toEqual({
      recorded: false,
      events: [960, 970, 980],
    })
  })

  it('reads again when another writer in the region got there first, then gives up', async () => {
    const { dynamo } = mockDynamo()
    const conflict = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    })
    dynamo.on(PutItemCommand).rejectsOnce(conflict).resolves({})
    const eu = createDynamoBudgetStore({ client: client(), tableName: 'regionless', region: 'eu-west-1', regions })
    expect((await eu.record('k', 1000, options())).recorded).toBe(true)
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(2)
    dynamo.on(PutItemCommand).rejects(conflict)
    await expect(eu.record('k', 1001, options())).rejects.toThrow('conditional')
  })

  it('validates its options', () => {
    expect(() =>
      createDynamoBudgetStore({ client: client(), tableName: 't', region: 'eu-west-1', regions: ['us-east-1'] }),
    ).toThrow(/this region among them/)
    expect(() => createDynamoBudgetStore({ client: client(), tableName: 't', region: '', regions })).toThrow(TypeError)
  })
})
