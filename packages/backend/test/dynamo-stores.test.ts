import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { createDynamoSendThrottle, createDynamoSingleUseStore } from '../src/stores/dynamo-stores.js'
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

describe('DynamoDB send throttle', () => {
  it('records a send, refuses the next inside the interval with the wait, and allows it after', async () => {
    const { dynamo } = mockDynamo()
    const throttle = createDynamoSendThrottle({ client: client(), tableName: 'regionless' })
    expect(await throttle.acquire('send#u_1', 30, 1000)).toEqual({ allowed: true })
    expect(await throttle.acquire('send#u_1', 30, 1012)).toEqual({ allowed: false, retryAfterSeconds: 18 })
    expect(await throttle.acquire('send#u_2', 30, 1012)).toEqual({ allowed: true })
    expect(await throttle.acquire('send#u_1', 30, 1030)).toEqual({ allowed: true })
    expect(dynamo.commandCalls(PutItemCommand)[1]?.args[0].input).toMatchObject({
      ConditionExpression: 'attribute_not_exists(#pk) OR sentAt <= :threshold',
      ExpressionAttributeValues: { ':threshold': { N: '982' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })
  })

  it('falls back to the whole interval when the old item is not returned', async () => {
    const { dynamo } = mockDynamo()
    dynamo
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }))
    const throttle = createDynamoSendThrottle({ client: client(), tableName: 'regionless' })
    expect(await throttle.acquire('send#u_1', 30, 1000)).toEqual({ allowed: false, retryAfterSeconds: 30 })
  })
})
