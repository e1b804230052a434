import { emailAddressOf } from './email-address.js'
import { getPath } from './paths.js'
import type { Setting, SettingsTable } from './setting.js'

/** The config files the tables name keys of: the deploy config and the emulator's. */
export type ConfigColumn = 'deploy' | 'emulator'

/** Builds the error for a bad value; `path` is the key in the file (`codes.length`). */
export type ConfigFailure = (path: string, problem: string) => Error

/**
 * Reads every setting a config file may hold (parsed JSON), by key of the table. A bad value throws
 * `fail(path, problem)`. Defaults: the emulator's own where given; in the deploy config, the default
 * of a setting that has no variable (the construct uses it); a setting with a variable stays unset so
 * that its variable does too, and the handler's default applies.
 */
export function readConfigSettings<T extends SettingsTable>(
  table: T,
  root: unknown,
  column: ConfigColumn,
  fail: ConfigFailure,
): Partial<Record<keyof T, unknown>> {
  const values: Partial<Record<keyof T, unknown>> = {}
  for (const [key, setting] of Object.entries(table) as [keyof T, Setting][]) {
    const path = setting[column]
    if (path === undefined) continue
    const given = getPath(root, path, (at) => {
      throw fail(at, 'must be an object')
    })
    const fallback = column === 'emulator' ? setting.emulatorDefault : setting.env ? undefined : setting.default
    if (given === undefined && (fallback !== undefined || !setting.required)) {
      if (fallback !== undefined) values[key] = fallback
      continue
    }
    values[key] = checkConfigValue(setting, given, path, fail)
  }
  return values
}

/** One value of a config file, checked by its row; strings come back trimmed. */
export function checkConfigValue(setting: Setting, value: unknown, path: string, fail: ConfigFailure): unknown {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = setting
  switch (setting.kind) {
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') throw fail(path, 'must be a non-empty string')
      if (setting.choices && !setting.choices.includes(value.trim())) {
        throw fail(path, `must be one of ${setting.choices.join(', ')}, got ${JSON.stringify(value)}`)
      }
      return value.trim()
    case 'email': {
      const text = checkConfigValue({ ...setting, kind: 'text' }, value, path, fail) as string
      if (emailAddressOf(text) === undefined) throw fail(path, 'must be an email address')
      return text
    }
    case 'list':
      if (!Array.isArray(value) || value.length === 0) throw fail(path, 'must be a non-empty array')
      return value.map((item, i) => checkConfigValue({ ...setting, kind: 'text' }, item, `${path}[${i}]`, fail))
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw fail(path, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
      }
      return value
    case 'bool':
      if (typeof value !== 'boolean') throw fail(path, 'must be true or false')
      return value
    case 'backoff': {
      const { baseSeconds, maxSeconds } = (value ?? {}) as Record<string, unknown>
      const inRange = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max
      if (!inRange(baseSeconds) || !inRange(maxSeconds) || (baseSeconds as number) > (maxSeconds as number)) {
        throw fail(path, `must be { baseSeconds, maxSeconds }, from ${min} to ${max} with base ≤ max`)
      }
      return { baseSeconds, maxSeconds }
    }
    case 'json':
      return value
  }
}
