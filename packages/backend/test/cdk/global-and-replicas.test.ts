import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { addRegionlessStacks } from '../../src/cdk/index.js'
import type { Cfn } from '../helpers/cdk-fixtures.js'
import { exampleConfig, stubCode, synthExample, templatesOf } from '../helpers/cdk-fixtures.js'

// A synth takes ~4.5 s on an idle machine; minutes when the machine is busy with other work.
const SYNTH_BUDGET_MS = 120_000

describe('global stack', { timeout: SYNTH_BUDGET_MS }, () => {
  const { app, stacks } = synthExample()
  const [global] = templatesOf(app, [stacks.global]) as [Template]

  it('holds the single-use store as a global table with a replica in every other region and TTL', () => {
    global.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'regionless-single-use',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: Match.arrayWith([
        Match.objectLike({
          Region: 'us-east-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
        Match.objectLike({ Region: 'eu-west-1', DeletionProtectionEnabled: true }),
      ]),
    })
  })

  it('holds the multi-region ECC P-256 signing key and outputs its ARN', () => {
    global.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      MultiRegion: true,
    })
    global.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' })
    global.hasOutput('LinkKeyArn', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } })
    expect(stacks.global.region).toBe('eu-west-1')
  })

  it('is the only stack until the config has linkKeyArn', () => {
    const { stacks: first, notices } = synthExample(exampleConfig({ linkKeyArn: undefined }))
    expect(first.regions).toEqual([])
    expect(notices.join()).toMatch(/linkKeyArn/)
  })

  it('orders every regional stack after it', () => {
    for (const stack of stacks.regions) expect(stack.dependencies).toContain(stacks.global)
  })
})

describe('first deploy of the pools topology (peers unknown)', { timeout: SYNTH_BUDGET_MS }, () => {
  const config = exampleConfig({
    regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
    jwksSnapshotPath: undefined,
  })
  const first = synthExample(config)
  const [eu] = templatesOf(first.app, [first.stacks.regions[0]!]) as [Template]

  it('trusts only its own pool and leaves the bridge off', () => {
    const fns = eu.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'regionless-create-auth-challenge' },
    })
    const env = (Object.values(fns)[0] as Cfn).Properties.Environment.Variables
    expect(env.REGIONLESS_TRUSTED_POOL_IDS).toEqual({ Ref: Object.keys(eu.findResources('AWS::Cognito::UserPool'))[0] })
    expect(env.REGIONLESS_BRIDGE_TRUSTED_POOLS).toBeUndefined()
    const [auth] = Object.values(eu.findResources('AWS::ApiGateway::Authorizer')) as Cfn[]
    expect(auth.Properties.ProviderARNs).toHaveLength(1)
  })
})

describe('replicas topology', { timeout: SYNTH_BUDGET_MS }, () => {
  const replicas = (regions: object[]) => exampleConfig({ topology: 'replicas', regions, jwksSnapshotPath: undefined })

  it('creates the pool and its replica from the primary, and waits for the pool id before the secondary', () => {
    const { stacks, notices } = synthExample(replicas([{ region: 'eu-west-1' }, { region: 'us-east-1' }]))
    expect(stacks.regions.map((s) => s.region)).toEqual(['eu-west-1'])
    expect(notices.join()).toMatch(/userPoolId/)
    const primary = Template.fromStack(stacks.regions[0]!)
    primary.hasResourceProperties('AWS::Cognito::UserPoolReplica', {
      RegionName: 'us-east-1',
      UserPoolId: { Ref: Match.anyValue() },
    })
    primary.resourceCountIs('AWS::SQS::Queue', 0)
  })

  it('deploys the secondary’s triggers for the shared pool id, with outputs for the manual trigger step', () => {
    const app = new App({ analyticsReporting: false })
    const config = replicas([
      { region: 'eu-west-1', userPoolId: 'eu-west-1_SHARED1', clientId: 'sharedclient000000000000' },
      { region: 'us-east-1' },
    ])
    const { regions } = addRegionlessStacks(app, config, { code: () => stubCode() })
    const [primary, secondary] = regions
    expect(secondary!.dependencies).toContain(primary)
    const t = Template.fromStack(secondary!)
    t.resourceCountIs('AWS::Cognito::UserPool', 0)
    t.resourceCountIs('AWS::Cognito::UserPoolReplica', 0)
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([':cognito-idp:us-east-1:', ':userpool/eu-west-1_SHARED1'])] },
    })
    t.hasOutput('TriggerFunctionArns', {})
    t.hasOutput('UserPoolId', { Value: 'eu-west-1_SHARED1' })
    const [auth] = Object.values(t.findResources('AWS::ApiGateway::Authorizer')) as Cfn[]
    expect(JSON.stringify(auth.Properties.ProviderARNs)).toContain('cognito-idp:us-east-1:')
    const fns = t.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'regionless-verify-auth-challenge' },
    })
    expect((Object.values(fns)[0] as Cfn).Properties.Environment.Variables.REGIONLESS_TRUSTED_POOL_IDS).toBe(
      'eu-west-1_SHARED1',
    )
  })
})
