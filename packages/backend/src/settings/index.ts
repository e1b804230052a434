// The settings tables and what reads them, for the packages and docs built on them (the emulator, the
// docs tables). The handlers, the Lambda entries and the construct import the modules here directly.
// What turns setting values into trigger options lives with the triggers (`triggers/setting-options.ts`),
// so settings/ imports nothing from triggers/.
export { APP_CLIENT_SETTINGS, type AppClientSettingKey } from './app-client-settings.js'
export { type ConfigColumn, type ConfigFailure, readConfigSettings } from './config-file.js'
export { REPLICATION_SETTINGS, type ReplicationSettingKey } from './replication-settings.js'
export type { Setting, SettingKind, SettingPath, SettingSource, SettingsTable, SettingValue } from './setting.js'
export { TRIGGER_SETTINGS, type TriggerSettingKey } from './trigger-settings.js'
