import { ConfigError } from '../errors.js'
import { emailAddressOf } from './email-address.js'
import type { Setting, SettingsTable } from './setting.js'

type Env = Record<string, string | undefined>

type WithEnv<T extends SettingsTable> = { [K in keyof T as T[K] extends { env: string } ? K : never]: T[K] }

/** `{ key: variable }` for every row of a table that has a variable. */
export function envNames<T extends SettingsTable>(
  table: T,
): { readonly [K in keyof WithEnv<T>]: WithEnv<T>[K] extends { env: infer E } ? E : never } {
  return Object.fromEntries(Object.entries(table).flatMap(([key, s]) => (s.env ? [[key, s.env]] : []))) as never
}

/**
 * One variable, parsed and checked by its row: a missing required variable or a bad value throws a
 * {@link ConfigError} naming the variable (never echoing a free-text value, which may be a secret).
 * An unset optional variable is undefined: the handler's default applies.
 */
export function readEnvSetting(env: Env, setting: Setting): unknown {
  const name = setting.env
  if (name === undefined) throw new TypeError('readEnvSetting needs a setting with a variable')
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') {
    if (setting.required) throw new ConfigError(name, 'is required and not set')
    return undefined
  }
  switch (setting.kind) {
    case 'text':
      if (setting.choices && !setting.choices.includes(raw)) {
        throw new ConfigError(name, `must be one of ${setting.choices.join(', ')}, got ${JSON.stringify(raw)}`)
      }
      return raw
    case 'email':
      if (emailAddressOf(raw) === undefined) throw new ConfigError(name, 'must be an email address')
      return raw
    case 'list': {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
      if (items.length === 0) throw new ConfigError(name, 'must list at least one comma-separated value')
      return items
    }
    case 'int': {
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = setting
      const value = Number(raw)
      if (!/^\d+$/.test(raw) || value < min || value > max) {
        throw new ConfigError(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
      }
      return value
    }
    case 'bool':
      if (raw !== 'true' && raw !== 'false') {
        throw new ConfigError(name, `must be true or false, got ${JSON.stringify(raw)}`)
      }
      return raw === 'true'
    case 'json':
      try {
        return JSON.parse(raw)
      } catch {
        throw new ConfigError(name, `must be JSON: ${setting.json}`)
      }
    default:
      throw new TypeError(`a ${setting.kind} setting has no variable form`)
  }
}

/** Every variable of a table, by key; unset optional ones are left out. */
export function readEnvSettings<T extends SettingsTable>(env: Env, table: T): Partial<Record<keyof T, unknown>> {
  const values: Partial<Record<keyof T, unknown>> = {}
  for (const [key, setting] of Object.entries(table) as [keyof T, Setting][]) {
    if (setting.env === undefined) continue
    const value = readEnvSetting(env, setting)
    if (value !== undefined) values[key] = value
  }
  return values
}

/**
 * The variables that carry `values` (keyed like the table), as the construct sets them: lists
 * comma-separated, JSON stringified; required variables first, then the others, each in table order.
 */
export function environmentOf<T extends SettingsTable>(
  table: T,
  values: Partial<Record<keyof T, unknown>>,
): Record<string, string> {
  const rows = Object.entries(table) as [keyof T, Setting][]
  const ordered = [...rows.filter(([, s]) => s.required), ...rows.filter(([, s]) => !s.required)]
  const env: Record<string, string> = {}
  for (const [key, setting] of ordered) {
    const value = values[key]
    if (value === undefined || setting.env === undefined) continue
    env[setting.env] =
      setting.kind === 'list'
        ? (value as string[]).join(',')
        : setting.kind === 'json'
          ? JSON.stringify(value)
          : String(value)
  }
  return env
}
