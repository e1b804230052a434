export { type AuthTriggers, createAuthTriggers } from './auth-triggers.js'
export type { BridgePool } from './bridge-token.js'
export type { ChallengeMethod, ChallengeStep } from './challenge-session.js'
export { type DefineDecision, decideNext } from './define-decision.js'
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
export { ChallengeError, type ChallengeErrorCode, ConfigError, isChallengeError } from './errors.js'
export {
  checkLinkClaims,
  LINK_FRAGMENT_KEY,
  type LinkClaims,
  type LinkSigner,
  type LinkVerifier,
  MAX_LINK_TTL_SECONDS,
} from './link-token.js'
export { createLocalLinkKeys, type LocalLinkKeys, type LocalLinkKeysOptions } from './local-link-keys.js'
export { maskEmail } from './mask-email.js'
export type { AuthTriggerOptions, TriggerLogEntry } from './options.js'
export { createRedirectMatcher, type RedirectCheck } from './redirect-allow-list.js'
export { createMemorySendThrottle, type SendThrottle, type ThrottleDecision } from './send-throttle.js'
export { createMemorySingleUseStore, type SingleUseStore } from './single-use-store.js'
export { isStableUsername, normaliseEmail, usernameForEmail } from './stable-username.js'
