// `@regionless/backend`: the sign-in triggers, what they are built from (email,
// link keys, stores, in memory and on AWS) and the stable username scheme.
// Replication is `@regionless/backend/replication`; deployment, `@regionless/backend/cdk`.
// Tests import the modules under src/ directly; this list is the package's API.

export {
  createSesEmailSender,
  type EmailMessage,
  type EmailSender,
  type SesEmailSenderOptions,
} from './email/email-sender.js'
export type { EmailTemplate, TemplatesOption, TemplateText, TemplateVars } from './email/email-templates.js'
export { ChallengeError, type ChallengeErrorCode, ConfigError, isChallengeError } from './errors.js'
export { isStableUsername, normaliseEmail, usernameForEmail } from './identity/stable-username.js'
export type { BridgePool } from './links/bridge-token.js'
export {
  createKmsLinkSigner,
  createKmsLinkVerifier,
  type KmsLinkSignerOptions,
  type KmsLinkVerifierOptions,
} from './links/kms-link-keys.js'
export type { LinkClaims, LinkSigner, LinkVerifier } from './links/link-token.js'
export { createLocalLinkKeys, type LocalLinkKeys, type LocalLinkKeysOptions } from './links/local-link-keys.js'
export * from './passkeys/index.js'
export {
  APP_CLIENT_SETTINGS,
  type ConfigFailure,
  REPLICATION_SETTINGS,
  readConfigSettings,
  type Setting,
  TRIGGER_SETTINGS,
  type TriggerSettingKey,
} from './settings/index.js'
export {
  type BudgetStore,
  createMemoryBudgetTable,
  type MemoryBudgetTableOptions,
  type RecordOptions,
} from './stores/budget-store.js'
export { createDynamoBudgetStore, type DynamoBudgetStoreOptions } from './stores/dynamo-budget-store.js'
export { createDynamoSingleUseStore, type DynamoStoreOptions } from './stores/dynamo-stores.js'
export { createMemorySingleUseStore, type SingleUseStore } from './stores/single-use-store.js'
export { type AuthTriggers, createAuthTriggers } from './triggers/auth-triggers.js'
/** The trigger settings' values by key, as the Lambda entry parses them from its variables. */
export type { AuthEnvConfig as TriggerSettingValues } from './triggers/env-config.js'
export type { AuthTriggerOptions, TriggerLogEntry } from './triggers/options.js'
export { type TriggerSettingOptions, triggerSettingOptions } from './triggers/setting-options.js'
