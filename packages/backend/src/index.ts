// `@regionless/backend`: the sign-in triggers, what they are built from (email,
// link keys, stores, in memory and on AWS) and the stable username scheme.
// Replication is `@regionless/backend/replication`; deployment, `@regionless/backend/cdk`.
// Tests import the modules under src/ directly; this list is the package's API.
export { type AuthTriggers, createAuthTriggers } from './auth-triggers.js'
export type { BridgePool } from './bridge-token.js'
export { createDynamoSendThrottle, createDynamoSingleUseStore, type DynamoStoreOptions } from './dynamo-stores.js'
export {
  createSesEmailSender,
  type EmailMessage,
  type EmailSender,
  type SesEmailSenderOptions,
} from './email-sender.js'
export type { EmailTemplate, TemplatesOption, TemplateText, TemplateVars } from './email-templates.js'
export { ChallengeError, type ChallengeErrorCode, ConfigError, isChallengeError } from './errors.js'
export {
  createKmsLinkSigner,
  createKmsLinkVerifier,
  type KmsLinkSignerOptions,
  type KmsLinkVerifierOptions,
} from './kms-link-keys.js'
export type { LinkClaims, LinkSigner, LinkVerifier } from './link-token.js'
export { createLocalLinkKeys, type LocalLinkKeys, type LocalLinkKeysOptions } from './local-link-keys.js'
export type { AuthTriggerOptions, TriggerLogEntry } from './options.js'
export { createMemorySendThrottle, type SendThrottle, type ThrottleDecision } from './send-throttle.js'
export {
  type ConfigFailure,
  REPLICATION_SETTINGS,
  readConfigSettings,
  type Setting,
  TRIGGER_SETTINGS,
  type TriggerSettingKey,
  type TriggerSettingOptions,
  type TriggerSettingValues,
  triggerSettingOptions,
} from './settings/index.js'
export { createMemorySingleUseStore, type SingleUseStore } from './single-use-store.js'
export { isStableUsername, normaliseEmail, usernameForEmail } from './stable-username.js'
