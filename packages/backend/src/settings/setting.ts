// What one row of the settings tables holds. Each trigger and replication setting is defined once, in
// trigger-settings.ts or replication-settings.ts; every layer that names it (handler options, Lambda
// environment, deploy config, emulator config, docs) reads its name, range and default from that row.

/** How a value is written and checked. */
export type SettingKind =
  /** A non-empty string. */
  | 'text'
  /** An address, or `Name <address>`. */
  | 'email'
  /** Strings: an array in options and config files, comma-separated in a variable. */
  | 'list'
  /** An integer from `min` to `max`. */
  | 'int'
  | 'bool'
  /** A JSON value of the shape `json` describes (checked by the reader that uses it). */
  | 'json'
  /** `{ baseSeconds, maxSeconds }`, an exponential back-off. */
  | 'backoff'

/** Who sets a variable that no config key feeds. */
export type SettingSource = 'construct' | 'lambda' | 'operator'

export interface Setting {
  kind: SettingKind
  /** The one line every docs table prints (lower case, no final period). */
  doc: string
  /** Environment variable the Lambda handlers read. */
  env?: string
  /** The Lambda entry refuses to start without it; a config file refuses to parse without it. */
  required?: boolean
  /** For a variable without a deploy key: the construct computes it, Lambda sets it, or an operator may. */
  setBy?: SettingSource
  /** Path in the options of the handler factory (`createAuthTriggers`, a replication handler). */
  option?: string
  /** Path in the deploy config (docs/deploy.md). */
  deploy?: string
  /** Path in the emulator's config file (docs/emulator.md). */
  emulator?: string
  min?: number
  max?: number
  /**
   * The value when unset. The handler applies it; for a setting without a variable, the deploy config
   * does. The environment readers leave unset variables unset, so the handler's default applies.
   */
  default?: SettingValue
  /** The emulator's own default where it differs (local origins, shorter waits). */
  emulatorDefault?: SettingValue
  /** For `text`: the only values allowed. */
  choices?: readonly string[]
  /** For `json`: the shape, shown in errors and docs. */
  json?: string
  /** Applies only when that other setting is set (the bridge's age needs trusted pools). */
  needs?: string
}

export type SettingValue = string | number | boolean | readonly string[] | { baseSeconds: number; maxSeconds: number }

/** A table of settings, keyed by the name the typed configs use. */
export type SettingsTable = Record<string, Setting>

type Leaf = string | number | boolean | readonly unknown[] | ((...args: never[]) => unknown)

/** Every dotted path into `T` (`'links.ttlSeconds'`): lets the compiler check a table's paths. */
export type SettingPath<T> = T extends Leaf
  ? never
  : { [K in keyof T & string]-?: K | `${K}.${SettingPath<NonNullable<T[K]>>}` }[keyof T & string]

/** The paths a table gives in one column. */
export type PathsIn<Table, Column extends 'option' | 'deploy' | 'emulator'> = {
  [K in keyof Table]: Table[K] extends { readonly [C in Column]: infer P } ? P : never
}[keyof Table]
