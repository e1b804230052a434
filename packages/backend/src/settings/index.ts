// The settings tables and what reads them, for the packages and docs built on them (the emulator, the
// docs tables). The handlers, the Lambda entries and the construct import the modules here directly.

/** The trigger settings' values by key, as the Lambda entry parses them from its variables. */
export type { AuthEnvConfig as TriggerSettingValues } from '../env-config.js'
export { type ConfigColumn, type ConfigFailure, readConfigSettings } from './config-file.js'
export { REPLICATION_SETTINGS, type ReplicationSettingKey } from './replication-settings.js'
export type { Setting, SettingKind, SettingPath, SettingSource, SettingsTable, SettingValue } from './setting.js'
export { type TriggerSettingOptions, triggerSettingOptions } from './trigger-options.js'
export { TRIGGER_SETTINGS, type TriggerSettingKey } from './trigger-settings.js'
