import { describe, expect, expectTypeOf, it } from 'vitest'
import { rejectionOf } from '../../../../test/helpers/rejection.js'
import { authEnvironment } from '../../src/cdk/auth-environment.js'
import { type DeployConfig, DeployConfigError, parseDeployConfig } from '../../src/cdk/config.js'
import { ConfigError } from '../../src/errors.js'
import { createMemoryPasskeyStore } from '../../src/passkeys/passkey-store.js'
import type { ReplicationEnvConfig } from '../../src/replication/from-env.js'
import { APP_CLIENT_SETTINGS } from '../../src/settings/app-client-settings.js'
import { getPath, setPath } from '../../src/settings/paths.js'
import { REPLICATION_SETTINGS } from '../../src/settings/replication-settings.js'
import type { PathsIn, Setting, SettingPath } from '../../src/settings/setting.js'
import { TRIGGER_SETTINGS, type TriggerSettingKey } from '../../src/settings/trigger-settings.js'
import { type AuthEnvConfig, parseAuthEnv } from '../../src/triggers/env-config.js'
import type { AuthTriggerOptions } from '../../src/triggers/options.js'
import { triggerSettingOptions } from '../../src/triggers/setting-options.js'
import { createHarness } from '../helpers/harness.js'

const minimalDeploy = {
  regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
  email: { from: 'hi@example.com' },
  links: { audience: 'app', redirectAllowList: ['https://app.example.com'] },
}
const local = { region: 'eu-west-1', userPoolId: 'eu-west-1_A', clientId: 'client' }
const construct = { local, tableName: 'table', keyArn: 'arn:key', snapshot: undefined }

const ints = (Object.entries(TRIGGER_SETTINGS) as [TriggerSettingKey, Setting][]).filter(
  (entry): entry is [TriggerSettingKey, Setting & { min: number; max: number }] => entry[1].kind === 'int',
)

const thrown = (run: () => unknown) => rejectionOf(run) as Error

describe('the settings tables', () => {
  it('name real fields in every layer (checked by the compiler)', () => {
    expectTypeOf<PathsIn<typeof TRIGGER_SETTINGS, 'option'>>().toExtend<SettingPath<AuthTriggerOptions>>()
    expectTypeOf<PathsIn<typeof TRIGGER_SETTINGS, 'deploy'>>().toExtend<SettingPath<DeployConfig>>()
    expectTypeOf<PathsIn<typeof REPLICATION_SETTINGS, 'deploy'>>().toExtend<SettingPath<DeployConfig>>()
    expectTypeOf<PathsIn<typeof APP_CLIENT_SETTINGS, 'deploy'>>().toExtend<SettingPath<DeployConfig>>()
    expectTypeOf<TriggerSettingKey>().toEqualTypeOf<keyof AuthEnvConfig>()
    expectTypeOf<keyof ReplicationEnvConfig>().toExtend<keyof typeof REPLICATION_SETTINGS>()
  })

  it('give each variable, option, deploy key and emulator key to one setting only', () => {
    const rows = [
      ...Object.values(TRIGGER_SETTINGS),
      ...Object.values(REPLICATION_SETTINGS),
      ...Object.values(APP_CLIENT_SETTINGS),
    ] as Setting[]
    for (const column of ['deploy', 'emulator'] as const) {
      const names = rows.flatMap((s) => (s[column] ? [s[column]] : []))
      expect(new Set(names).size, column).toBe(names.length)
    }
    const triggerVariables: string[] = Object.values(TRIGGER_SETTINGS).map((s) => s.env)
    expect(new Set(triggerVariables).size).toBe(triggerVariables.length)
    // The one variable both entries read is the same table, defined by the triggers' row.
    const replicationVariables = (Object.values(REPLICATION_SETTINGS) as Setting[]).flatMap((s) => s.env ?? [])
    expect(replicationVariables.filter((name) => triggerVariables.includes(name))).toEqual([
      TRIGGER_SETTINGS.tableName.env,
    ])
    for (const s of rows) {
      if (s.kind === 'int') expect(s.min! <= s.max!, s.doc).toBe(true)
      if (s.env && !s.deploy) expect(s.setBy, s.env).toBeDefined()
    }
  })

  it.each(ints)('carry %s from the deploy config through the variable to the triggers’ option', (key, setting) => {
    const value = setting.max
    const raw = structuredClone(minimalDeploy) as Record<string, unknown>
    if (setting.deploy) setPath(raw, setting.deploy, value)
    const env = authEnvironment({ config: parseDeployConfig(raw), ...construct })
    if (setting.deploy) expect(env[setting.env as string]).toBe(String(value))
    else env[setting.env as string] = String(value)
    const parsed = parseAuthEnv(env)
    expect(parsed[key]).toBe(value)
    // Settings that need another get it: the bridge's age its pools, the passkeys' TTL an RP id.
    const options = triggerSettingOptions({ ...parsed, bridgeTrustedPools: [], passkeyRpId: 'example.com' })
    expect(getPath(options, setting.option as string)).toBe(value)
  })

  it.each(ints)('refuse %s out of range in every layer, naming it there', (_key, setting) => {
    const bad = setting.max + 1
    const env = thrown(() =>
      parseAuthEnv({
        ...authEnvironment({ config: parseDeployConfig(minimalDeploy), ...construct }),
        [setting.env as string]: String(bad),
      }),
    )
    expect(env).toBeInstanceOf(ConfigError)
    expect(env.message).toBe(`${setting.env}: must be an integer from ${setting.min} to ${setting.max}, got "${bad}"`)
    const passkeys = { store: createMemoryPasskeyStore(), rpId: 'example.com', origins: ['https://example.com'] }
    const options = { ...createHarness().options, bridge: { trustedPools: [] }, passkeys } as Record<string, unknown>
    setPath(options, setting.option as string, bad)
    expect(thrown(() => createHarness(options as Partial<AuthTriggerOptions>)).message).toBe(
      `${setting.option} must be an integer from ${setting.min} to ${setting.max}, got ${bad}`,
    )
    if (setting.deploy) {
      const raw = structuredClone(minimalDeploy) as Record<string, unknown>
      setPath(raw, setting.deploy, bad)
      const deploy = thrown(() => parseDeployConfig(raw))
      expect(deploy).toBeInstanceOf(DeployConfigError)
      expect(deploy).toBeInstanceOf(ConfigError)
      expect((deploy as DeployConfigError).setting).toBe(setting.deploy)
    }
  })

  it('apply the triggers’ defaults when nothing is set, and the deploy defaults of deploy-only settings', () => {
    const config = parseDeployConfig(minimalDeploy)
    expect(config.codes).toEqual({})
    expect(config.replication).toEqual({
      enabled: REPLICATION_SETTINGS.enabled.default,
      maxReceiveCount: REPLICATION_SETTINGS.maxReceiveCount.default,
      reconcileSchedule: REPLICATION_SETTINGS.reconcileSchedule.default,
      lagAlarmMs: REPLICATION_SETTINGS.lagAlarmMs.default,
    })
    const env = authEnvironment({ config, ...construct })
    expect(Object.keys(env)).toEqual([
      'REGIONLESS_EMAIL_FROM',
      'REGIONLESS_LINK_KMS_KEY_ID',
      'REGIONLESS_LINK_AUDIENCE',
      'REGIONLESS_TRUSTED_POOL_IDS',
      'REGIONLESS_REDIRECT_ALLOW_LIST',
      'REGIONLESS_TABLE_NAME',
      'REGIONLESS_TABLE_REGIONS',
    ])
  })

  it('accept a display name in the sender, in the variable and in the deploy config alike', () => {
    const from = 'Sign-in <no-reply@mail.example.com>'
    const config = parseDeployConfig({ ...minimalDeploy, email: { from } })
    expect(config.email).toMatchObject({ from, identity: 'mail.example.com' })
    expect(parseAuthEnv(authEnvironment({ config, ...construct })).emailFrom).toBe(from)
    for (const bad of ['no-reply', 'no-reply@localhost', 'Sign-in <no-reply>']) {
      expect(thrown(() => parseDeployConfig({ ...minimalDeploy, email: { from: bad } })).message).toBe(
        'email.from: must be an email address',
      )
      const env = { ...authEnvironment({ config, ...construct }), REGIONLESS_EMAIL_FROM: bad }
      expect(thrown(() => parseAuthEnv(env)).message).toBe('REGIONLESS_EMAIL_FROM: must be an email address')
    }
  })
})
