import { describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../../test/helpers/rejection.js'
import { DeployConfigError, parseDeployConfig } from '../../src/cdk/index.js'

const minimal = {
  regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
  email: { from: 'hi@example.com' },
  links: { audience: 'app', redirectAllowList: ['https://app.example.com'] },
}

/** The DeployConfigError parsing `input` throws; another error, or none, fails the test. */
function errorOf(input: unknown): DeployConfigError {
  const err = rejectionOf(() => parseDeployConfig(input))
  if (err instanceof DeployConfigError) return err
  throw err
}

describe('parseDeployConfig', () => {
  it('fills the defaults', () => {
    const config = parseDeployConfig(minimal)
    expect(config).toMatchObject({
      name: 'regionless',
      topology: 'pools',
      primaryRegion: 'eu-west-1',
      featurePlan: 'essentials',
      emailSignInAlias: false,
      email: { from: 'hi@example.com', identity: 'example.com', createIdentity: true },
      tokens: { idTokenMinutes: 60, accessTokenMinutes: 60, refreshTokenDays: 30, authSessionMinutes: 3 },
      replication: { enabled: true, maxReceiveCount: 8, reconcileSchedule: 'rate(6 hours)', lagAlarmMs: 300000 },
      api: { tokenUse: 'access', corsOrigins: [] },
      removalPolicy: 'retain',
    })
  })

  it.each([
    [{ ...minimal, regions: [{ region: 'eu-west-1' }] }, 'regions'],
    [{ ...minimal, regions: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }] }, 'regions'],
    [{ ...minimal, regions: [{ region: 'Europe' }, { region: 'us-east-1' }] }, 'regions[0].region'],
    [{ ...minimal, primaryRegion: 'ap-south-1' }, 'primaryRegion'],
    [{ ...minimal, emailSignInAlias: 'yes' }, 'emailSignInAlias'],
    [
      { ...minimal, regions: [{ region: 'eu-west-1', userPoolId: 'nope' }, { region: 'us-east-1' }] },
      'regions[0].userPoolId',
    ],
    [{ ...minimal, linkKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234' }, 'linkKeyArn'],
    [{ ...minimal, email: { from: 'not-an-address' } }, 'email.from'],
    [{ ...minimal, links: { redirectAllowList: ['https://a.example'] } }, 'links.audience'],
    [{ ...minimal, links: { audience: 'a', redirectAllowList: [] } }, 'links.redirectAllowList'],
    [{ ...minimal, tokens: { authSessionMinutes: 30 } }, 'tokens.authSessionMinutes'],
    [{ ...minimal, codes: { length: 4 } }, 'codes.length'],
    [{ ...minimal, topology: 'mesh' }, 'topology'],
    [{ ...minimal, topology: 'replicas', featurePlan: 'lite' }, 'featurePlan'],
    [{ ...minimal, name: 'Has Spaces' }, 'name'],
    [{ ...minimal, account: '12' }, 'account'],
    [{ ...minimal, replication: { lifecycleConcurrency: 0 } }, 'replication.lifecycleConcurrency'],
    // The pepper's secret is named, never given: a value with spaces or other characters is refused.
    [{ ...minimal, codes: { pepperSecret: 'my pepper value!' } }, 'codes.pepperSecret'],
    [{ ...minimal, codes: { pepperSecret: 'arn:aws:kms:eu-west-1:111122223333:key/x' } }, 'codes.pepperSecret'],
  ])('rejects a bad setting, naming it (%#)', (input, setting) => {
    const err = errorOf(input)
    expect(err.setting).toBe(setting)
    expect(err.message.startsWith(`${setting}: `)).toBe(true)
  })

  it('takes the code pepper as a Secrets Manager secret name or ARN', () => {
    for (const pepperSecret of [
      'regionless/code-pepper',
      'arn:aws:secretsmanager:{region}:111122223333:secret:regionless/code-pepper-AbCdEf',
    ]) {
      expect(parseDeployConfig({ ...minimal, codes: { pepperSecret } }).codes.pepperSecret).toBe(pepperSecret)
    }
  })

  it('rejects replicas with two different pool ids', () => {
    expect(
      errorOf({
        ...minimal,
        topology: 'replicas',
        regions: [
          { region: 'eu-west-1', userPoolId: 'eu-west-1_A' },
          { region: 'us-east-1', userPoolId: 'us-east-1_B' },
        ],
      }).setting,
    ).toBe('regions')
  })
})
