import { Match, type Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { AUTH_ENV } from '../../src/triggers/env-config.js'
import type { Cfn } from '../helpers/cdk-fixtures.js'
import { synthExample, templatesOf } from '../helpers/cdk-fixtures.js'

let eu: Template
let us: Template

// One synth of the example app shared by the tests: ~4.5 s on an idle machine.
beforeAll(() => {
  const { app, stacks } = synthExample()
  ;[eu, us] = templatesOf(app, stacks.regions) as [Template, Template]
}, 120_000)

function functionNamed(template: Template, name: string) {
  const found = template.findResources('AWS::Lambda::Function', {
    Properties: { FunctionName: `regionless-${name}` },
  })
  const [logicalId, resource] = Object.entries(found)[0] ?? []
  if (!logicalId) throw new Error(`no function regionless-${name}`)
  return { logicalId, resource: resource as { Properties: Record<string, Cfn> } }
}

/** Every statement of the policies attached to the function's role. */
function statementsOf(template: Template, fnName: string): Array<Record<string, Cfn>> {
  const fn = functionNamed(template, fnName)
  const roleId = fn.resource.Properties.Role['Fn::GetAtt'][0]
  const policies = template.findResources('AWS::IAM::Policy')
  return Object.values(policies)
    .filter((p: Cfn) => p.Properties.Roles.some((r: Cfn) => r.Ref === roleId))
    .flatMap((p: Cfn) => p.Properties.PolicyDocument.Statement)
}

describe('user pool and app client', () => {
  it('uses a stable username, no email alias, keeps a verified email until a new one is verified, and no password recovery', () => {
    eu.resourceCountIs('AWS::Cognito::UserPool', 1)
    eu.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'regionless-eu-west-1',
      AliasAttributes: Match.absent(),
      UsernameAttributes: Match.absent(),
      UsernameConfiguration: { CaseSensitive: false },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OFF',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
      UserPoolTier: 'ESSENTIALS',
      DeletionProtection: 'ACTIVE',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 16, RequireSymbols: true }) },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'rl_changed_at', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'rl_enabled_at', AttributeDataType: 'String', Mutable: true }),
      ]),
    })
  })

  it('names every trigger by ARN (no circular reference) and lets only this pool invoke them', () => {
    const config = eu.findResources('AWS::Cognito::UserPool')
    const lambdaConfig = (Object.values(config)[0] as Cfn).Properties.LambdaConfig
    expect(Object.keys(lambdaConfig).sort()).toEqual([
      'CreateAuthChallenge',
      'DefineAuthChallenge',
      'PostConfirmation',
      'PreSignUp',
      'VerifyAuthChallengeResponse',
    ])
    expect(JSON.stringify(lambdaConfig.DefineAuthChallenge)).toContain(':function:regionless-define-auth-challenge')
    eu.resourcePropertiesCountIs(
      'AWS::Lambda::Permission',
      { Principal: 'cognito-idp.amazonaws.com', SourceArn: Match.anyValue() },
      5,
    )
  })

  it('has an app client with CUSTOM_AUTH and refresh only, no secret, and the configured validities', () => {
    eu.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AllowedOAuthFlowsUserPoolClient: false,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 43200,
      AuthSessionValidity: 3,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      // Users may not write replication's bookkeeping attributes.
      WriteAttributes: ['email'],
    })
  })
})

describe('challenge triggers', () => {
  it('bundle one entry with a handler per trigger on Node 24, arm64', () => {
    for (const [name, handler] of [
      ['define-auth-challenge', 'index.defineAuthChallenge'],
      ['create-auth-challenge', 'index.createAuthChallenge'],
      ['verify-auth-challenge', 'index.verifyAuthChallengeResponse'],
      ['pre-sign-up', 'index.preSignUp'],
    ] as const) {
      const fn = functionNamed(eu, name).resource.Properties
      expect(fn.Handler).toBe(handler)
      expect(fn.Runtime).toBe('nodejs24.x')
      expect(fn.Architectures).toEqual(['arm64'])
    }
  })

  it('get every variable the Lambda entry requires, trusting both pools and the peer for the bridge', () => {
    const env = functionNamed(eu, 'create-auth-challenge').resource.Properties.Environment.Variables
    for (const name of [
      AUTH_ENV.emailFrom,
      AUTH_ENV.linkKmsKeyId,
      AUTH_ENV.linkAudience,
      AUTH_ENV.trustedPoolIds,
      AUTH_ENV.redirectAllowList,
      AUTH_ENV.tableName,
    ]) {
      expect(env[name], name).toBeDefined()
    }
    expect(JSON.stringify(env[AUTH_ENV.trustedPoolIds])).toContain('us-east-1_EXAMPLE02')
    const bridge = JSON.parse(env[AUTH_ENV.bridgeTrustedPools])
    expect(bridge).toHaveLength(1)
    expect(bridge[0].issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE02')
    expect(bridge[0].clientIds).toEqual(['example2clientid0000000000'])
    expect(bridge[0].jwks.keys[0].kid).toBe('example-key-2')
  })

  it('grant least privilege: SES on the identity, kms:Sign on the key, GetItem and PutItem on the table', () => {
    const create = statementsOf(eu, 'create-auth-challenge')
    const actions = create.flatMap((s) => [s.Action].flat())
    // Distinct actions: with passkeys on (the example), PutItem has a second statement for challenge# items.
    expect([...new Set(actions)].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'kms:Sign', 'ses:SendEmail'])
    const kms = create.find((s) => [s.Action].flat().includes('kms:Sign'))!
    expect(kms.Resource).toBe('arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef')
    const ses = JSON.stringify(create.find((s) => s.Action === 'ses:SendEmail')!.Resource)
    expect(ses).toContain(':identity/example.com')
    expect(ses).toContain(':configuration-set/regionless')
    expect(JSON.stringify(create.find((s) => [s.Action].flat().includes('dynamodb:PutItem'))!.Resource)).toContain(
      ':table/regionless-single-use',
    )
    expect(statementsOf(eu, 'define-auth-challenge')).toEqual([])
    expect(statementsOf(eu, 'pre-sign-up')).toEqual([])
    const verify = statementsOf(eu, 'verify-auth-challenge').flatMap((s) => [s.Action].flat())
    expect([...new Set(verify)].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'kms:GetPublicKey',
    ])
  })

  it('write only to their own log group, kept one month', () => {
    eu.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 })
    const role = eu.findResources('AWS::IAM::Role')
    const lambdaRoles = (Object.values(role) as Cfn[]).filter((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    )
    expect(lambdaRoles.length).toBeGreaterThan(5)
    for (const r of lambdaRoles) {
      expect(r.Properties.ManagedPolicyArns).toBeUndefined()
      const logs = r.Properties.Policies[0].PolicyDocument.Statement[0]
      expect(logs.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents'])
      expect(logs.Resource['Fn::GetAtt'][1]).toBe('Arn')
    }
  })
})

describe('email and the link key', () => {
  it('creates the SES identity and configuration set', () => {
    eu.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.com',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.anyValue() } },
    })
    eu.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'regionless',
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    })
  })

  it('uses the primary key in the primary region and a replica with an alias elsewhere', () => {
    eu.resourceCountIs('AWS::KMS::ReplicaKey', 0)
    us.hasResourceProperties('AWS::KMS::ReplicaKey', {
      PrimaryKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
    })
    us.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/regionless-links' })
    const create = functionNamed(us, 'create-auth-challenge').resource.Properties.Environment.Variables
    const [replicaId] = Object.keys(us.findResources('AWS::KMS::ReplicaKey'))
    expect(create[AUTH_ENV.linkKmsKeyId]).toEqual({ 'Fn::GetAtt': [replicaId, 'Arn'] })
  })
})

describe('outputs', () => {
  it('gives a front end region, pool id, client id and API URL, and the whole config as JSON', () => {
    for (const name of ['Region', 'UserPoolId', 'ClientId', 'ApiUrl', 'RestApiUrl', 'FrontEndConfig']) {
      eu.hasOutput(name, {})
    }
    const json = JSON.stringify(eu.findOutputs('FrontEndConfig'))
    expect(json).toContain('\\"topology\\":\\"pools\\"')
    expect(json).toContain('us-east-1_EXAMPLE02')
    expect(json).toContain('example2clientid0000000000')
  })
})
