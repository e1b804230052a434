import {
  ConfigError as BackendConfigError,
  REPLICATION_SETTINGS,
  type Setting,
  TRIGGER_SETTINGS,
} from '@regionless/backend'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import type { PathsIn, SettingPath } from '../../backend/src/settings/setting.js'
import { ConfigError, type EmulatorConfigFile, resolveConfig } from '../src/config/emulator-config.js'

const rows = [...Object.values(TRIGGER_SETTINGS), ...Object.values(REPLICATION_SETTINGS)] as Setting[]
const emulatorRows = rows.filter((s) => s.emulator !== undefined)

function configWith(path: string, value: unknown): EmulatorConfigFile {
  const file: Record<string, unknown> = { replication: {} }
  const steps = path.split('.')
  let target = file
  for (const step of steps.slice(0, -1)) {
    target[step] ??= {}
    target = target[step] as Record<string, unknown>
  }
  target[steps.at(-1) as string] = value
  return file as EmulatorConfigFile
}

describe('the emulator’s settings come from the backend’s tables', () => {
  it('name fields of the config file (checked by the compiler)', () => {
    expectTypeOf<PathsIn<typeof TRIGGER_SETTINGS, 'emulator'>>().toExtend<SettingPath<EmulatorConfigFile>>()
    expectTypeOf<PathsIn<typeof REPLICATION_SETTINGS, 'emulator'>>().toExtend<SettingPath<EmulatorConfigFile>>()
  })

  it('throws the backend’s ConfigError', () => {
    expect(ConfigError).toBe(BackendConfigError)
    const err = rejectionOf(() => resolveConfig({ topology: 'replicas', regions: ['eu-west-1'] }))
    expect(err).toBeInstanceOf(BackendConfigError)
    expect((err as ConfigError).setting).toBe('regions')
  })

  it.each(emulatorRows.filter((s) => s.kind === 'int'))('refuses $emulator out of range, naming it', (setting) => {
    expect(() => resolveConfig(configWith(setting.emulator as string, (setting.max as number) + 1))).toThrow(
      new RegExp(
        `^${setting.emulator?.replaceAll('.', '\\.')}: must be an integer from ${setting.min} to ${setting.max}`,
      ),
    )
    expect(() => resolveConfig(configWith(setting.emulator as string, setting.min))).not.toThrow()
  })

  it('applies the emulator’s defaults, and leaves the others to the triggers', () => {
    const config = resolveConfig({ replication: true })
    expect(config.replication).toEqual({
      directTimeoutMs: REPLICATION_SETTINGS.directTimeoutMs.emulatorDefault,
      directBudgetMs: REPLICATION_SETTINGS.directBudgetMs.emulatorDefault,
      workerTimeoutMs: REPLICATION_SETTINGS.workerTimeoutMs.emulatorDefault,
      throttleBackoff: REPLICATION_SETTINGS.throttleBackoff.emulatorDefault,
      transientBackoff: REPLICATION_SETTINGS.transientBackoff.emulatorDefault,
      lifecycleDelayMs: REPLICATION_SETTINGS.lifecycleDelayMs.emulatorDefault,
    })
    expect(config.queues.maxReceiveCount).toBe(REPLICATION_SETTINGS.maxReceiveCount.emulatorDefault)
    expect(config.triggers).toEqual({
      linkAudience: TRIGGER_SETTINGS.linkAudience.emulatorDefault,
      redirectAllowList: TRIGGER_SETTINGS.redirectAllowList.emulatorDefault,
      passkeyRpId: TRIGGER_SETTINGS.passkeyRpId.emulatorDefault,
      passkeyOrigins: TRIGGER_SETTINGS.passkeyOrigins.emulatorDefault,
    })
    const tuned = resolveConfig({ triggers: { codeLength: 8, emailDomains: { deny: ['x.example'] } } }).triggers
    expect(tuned).toMatchObject({ codeLength: 8, emailDomainsDeny: ['x.example'] })
  })

  it('checks back-offs and refuses replication settings outside the pools topology', () => {
    expect(() => resolveConfig({ replication: { throttleBackoff: { baseSeconds: 5, maxSeconds: 1 } } })).toThrow(
      /^replication\.throttleBackoff: /,
    )
    expect(() => resolveConfig({ topology: 'replicas', replication: true })).toThrow(/^replication: /)
  })
})
