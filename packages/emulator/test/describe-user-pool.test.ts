import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { cognito, sdk } from './helpers/protocol.js'
import { failure } from './helpers/sdk-errors.js'

describe('DescribeUserPool through the AWS SDK', () => {
  const started = Date.now()
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  beforeAll(async () => {
    emulator = await startEmulator({ regions: ['eu-west-1', 'us-east-1'] })
    eu = emulator.config.regions[0] as EmulatorRegion
  })
  afterAll(() => emulator?.close())

  it('answers ids, dates, the user count, the schema and the triggers wired', async () => {
    const client = sdk(eu)
    const describePool = () => client.send(new DescribeUserPoolCommand({ UserPoolId: eu.userPoolId }))
    const before = (await describePool()).UserPool
    expect(before).toMatchObject({
      Id: eu.userPoolId,
      Name: 'regionless-eu-west-1',
      Arn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${eu.userPoolId}`,
      EstimatedNumberOfUsers: 0,
      UsernameConfiguration: { CaseSensitive: false },
    })
    expect(before?.CreationDate).toBeInstanceOf(Date)
    expect(before?.CreationDate?.getTime()).toBeGreaterThanOrEqual(started - 1000)
    expect(before?.LastModifiedDate).toEqual(before?.CreationDate)
    // The backend's challenge triggers run in every pool; Post confirmation only with replication.
    expect(Object.keys(before?.LambdaConfig ?? {}).sort()).toEqual([
      'CreateAuthChallenge',
      'DefineAuthChallenge',
      'PreSignUp',
      'VerifyAuthChallengeResponse',
    ])
    expect(before?.LambdaConfig?.DefineAuthChallenge).toMatch(/^arn:aws:lambda:eu-west-1:000000000000:function:/)
    const schema = new Map(before?.SchemaAttributes?.map((a) => [a.Name, a]))
    expect(schema.get('sub')).toMatchObject({ AttributeDataType: 'String', Mutable: false, Required: true })
    expect(schema.get('email')).toMatchObject({ AttributeDataType: 'String', Mutable: true, Required: true })
    expect(schema.get('email_verified')).toMatchObject({ AttributeDataType: 'Boolean', Required: false })

    await emulator.seedUsers('eu-west-1', [{ username: 'u_one' }, { username: 'u_two' }])
    expect((await describePool()).UserPool?.EstimatedNumberOfUsers).toBe(2)
    client.destroy()
  })

  it('answers an unknown pool and an unsigned call as Cognito does', async () => {
    const client = sdk(eu)
    const missing = await failure(client.send(new DescribeUserPoolCommand({ UserPoolId: 'eu-west-1_nothere' })))
    expect(missing).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool eu-west-1_nothere does not exist.',
      status: 400,
    })
    client.destroy()
    const unsigned = await cognito(eu.endpoint, 'DescribeUserPool', { UserPoolId: eu.userPoolId })
    expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException')
  })
})
