export { type AuthTriggers, createAuthTriggers } from './auth-triggers.js'
export {
  type BridgeClaimRules,
  type BridgePool,
  checkBridgeClaims,
  DEFAULT_BRIDGE_MAX_AGE_SECONDS,
} from './bridge-token.js'
export type { ChallengeMethod, ChallengeStep } from './challenge-session.js'
export { type DefineDecision, type DefineInput, decideNext } from './define-decision.js'
export { derToJoseSignature } from './der-signature.js'
export { createDynamoSendThrottle, createDynamoSingleUseStore, type DynamoStoreOptions } from './dynamo-stores.js'
export {
  createSesEmailSender,
  type EmailMessage,
  type EmailSender,
  type SesEmailSenderOptions,
} from './email-sender.js'
export {
  DEFAULT_TEMPLATES,
  type EmailTemplate,
  type EmailTemplates,
  escapeHtml,
  renderEmail,
  type TemplatesOption,
  type TemplateText,
  type TemplateVars,
} from './email-templates.js'
export { AUTH_ENV, type AuthEnvConfig, parseAuthEnv } from './env-config.js'
export { ChallengeError, type ChallengeErrorCode, ConfigError, isChallengeError } from './errors.js'
export { type AwsClients, createAuthTriggersFromEnv } from './from-env.js'
export {
  createKmsLinkSigner,
  createKmsLinkVerifier,
  type KmsLinkSignerOptions,
  type KmsLinkVerifierOptions,
} from './kms-link-keys.js'
export {
  checkLinkClaims,
  LINK_FRAGMENT_KEY,
  type LinkClaimRules,
  type LinkClaims,
  type LinkSigner,
  type LinkVerifier,
  MAX_LINK_TTL_SECONDS,
} from './link-token.js'
export { createLocalLinkKeys, type LocalLinkKeys, type LocalLinkKeysOptions } from './local-link-keys.js'
export { maskEmail } from './mask-email.js'
export type { AuthTriggerOptions, TriggerLogEntry } from './options.js'
export { createRedirectMatcher, type RedirectCheck } from './redirect-allow-list.js'
export * from './replication/index.js'
export { createMemorySendThrottle, type SendThrottle, type ThrottleDecision } from './send-throttle.js'
export { createMemorySingleUseStore, type SingleUseStore } from './single-use-store.js'
export { isStableUsername, normaliseEmail, usernameForEmail } from './stable-username.js'
