import { RemovalPolicy, Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../../test/helpers/rejection.js'
import { DeployConfigError, parseDeployConfig } from '../../src/cdk/config.js'
import { createAppClient, createUserPool } from '../../src/cdk/user-pool.js'
import { APP_CLIENT_SETTINGS } from '../../src/settings/app-client-settings.js'

const minimal = {
  regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
  email: { from: 'hi@example.com' },
  links: { audience: 'app', redirectAllowList: ['https://app.example.com'] },
}

/** The app client's CloudFormation properties for a deploy config. */
function appClient(tokens?: Record<string, unknown>) {
  const config = parseDeployConfig({ ...minimal, ...(tokens && { tokens }) })
  const stack = new Stack(undefined, 'Test', { env: { region: 'eu-west-1', account: '111122223333' } })
  createAppClient(config, createUserPool(stack, config, RemovalPolicy.DESTROY))
  const clients = Template.fromStack(stack).findResources('AWS::Cognito::UserPoolClient')
  expect(Object.keys(clients)).toHaveLength(1)
  return (Object.values(clients)[0] as { Properties: Record<string, unknown> }).Properties
}

function settingOfError(tokens: Record<string, unknown>): string {
  const err = rejectionOf(() => parseDeployConfig({ ...minimal, tokens }))
  if (err instanceof DeployConfigError) return err.setting
  throw err
}

describe('refresh-token rotation of the app client', () => {
  // The first stack loads the CDK's Cognito and IAM modules: seconds on a busy machine, so in a hook
  // with a wide budget rather than in the first test.
  beforeAll(() => {
    appClient()
  }, 120_000)

  it('is off by default: no RefreshTokenRotation, and REFRESH_TOKEN_AUTH allowed', () => {
    expect(parseDeployConfig(minimal).tokens).toMatchObject({
      refreshTokenRotation: APP_CLIENT_SETTINGS.refreshTokenRotation.default,
      refreshTokenRotationGraceSeconds: APP_CLIENT_SETTINGS.refreshTokenRotationGraceSeconds.default,
    })
    expect(APP_CLIENT_SETTINGS.refreshTokenRotation.default).toBe(false)
    const client = appClient()
    expect(client.RefreshTokenRotation).toBeUndefined()
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
  })

  it.each([0, 10, 60])('turned on with a grace of %i s: ENABLED, and CUSTOM_AUTH the only flow', (grace) => {
    const client = appClient({
      refreshTokenRotation: true,
      refreshTokenRotationGraceSeconds: grace,
      idTokenMinutes: 15,
    })
    expect(client.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: grace })
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH'])
    // The table's keys sit next to the hand-checked token settings without replacing them.
    expect(client.IdTokenValidity).toBe(15)
    expect(client.RefreshTokenValidity).toBe(43_200)
  })

  it('takes the default grace period when only rotation is set', () => {
    expect(appClient({ refreshTokenRotation: true }).RefreshTokenRotation).toEqual({
      Feature: 'ENABLED',
      RetryGracePeriodSeconds: APP_CLIENT_SETTINGS.refreshTokenRotationGraceSeconds.default,
    })
  })

  it('refuses bad values, naming the setting', () => {
    expect(settingOfError({ refreshTokenRotation: 'yes' })).toBe('tokens.refreshTokenRotation')
    expect(settingOfError({ refreshTokenRotation: true, refreshTokenRotationGraceSeconds: 61 })).toBe(
      'tokens.refreshTokenRotationGraceSeconds',
    )
    expect(settingOfError({ refreshTokenRotationGraceSeconds: -1 })).toBe('tokens.refreshTokenRotationGraceSeconds')
  })
})
