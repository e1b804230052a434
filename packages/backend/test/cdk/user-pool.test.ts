import { App, RemovalPolicy, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { parseDeployConfig } from '../../src/cdk/index.js'
import { createUserPool } from '../../src/cdk/user-pool.js'

const minimal = {
  regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
  email: { from: 'hi@example.com' },
  links: { audience: 'app', redirectAllowList: ['https://app.example.com'] },
}

function poolOf(settings: Record<string, unknown>) {
  const stack = new Stack(new App(), 'Pool', { env: { region: 'eu-west-1', account: '111122223333' } })
  createUserPool(stack, parseDeployConfig({ ...minimal, ...settings }), RemovalPolicy.DESTROY)
  return Template.fromStack(stack)
}

describe('the user pool', () => {
  it('has no email alias by default: a known and an unknown email answer alike', () => {
    poolOf({}).hasResourceProperties('AWS::Cognito::UserPool', {
      AliasAttributes: Match.absent(),
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    })
  })

  it('keeps the alias of a pool deployed before, when asked (Cognito cannot remove it in place)', () => {
    const pools = poolOf({ emailSignInAlias: true }).findResources('AWS::Cognito::UserPool')
    expect(
      Object.values(pools).map((p) => (p as { Properties: { AliasAttributes?: string[] } }).Properties.AliasAttributes),
    ).toEqual([['email']])
  })
})
