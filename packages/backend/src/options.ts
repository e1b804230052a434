import { type BridgePool, type BridgeSignatureCheck, createBridgeSignatureCheck } from './bridge-token.js'
import type { EmailSender } from './email-sender.js'
import type { TemplatesOption } from './email-templates.js'
import { type LinkSigner, type LinkVerifier, MAX_LINK_TTL_SECONDS } from './link-token.js'
import { createRedirectMatcher, type RedirectCheck } from './redirect-allow-list.js'
import type { SendThrottle } from './send-throttle.js'
import type { SingleUseStore } from './single-use-store.js'

/** Options of {@link createAuthTriggers}. Every I/O dependency is passed in. */
export interface AuthTriggerOptions {
  /** Delivers code and link emails. */
  email: EmailSender
  links: {
    signer: LinkSigner
    verifier: LinkVerifier
    /** Spends link and bridge `jti`s; must be seen by every region. */
    store: SingleUseStore
    /** Origins (`https://app.example.com`, `http://localhost:*`) or URL prefixes (`https://example.com/auth/`). */
    redirectAllowList: string[]
    /** Link lifetime, at most 900 (15 minutes). Default 900. */
    ttlSeconds?: number
    /** The deployment's audience string, put in `aud` and required back. */
    audience: string
    /** Pool ids whose links are accepted (every pool of the deployment). */
    trustedPoolIds: string[]
  }
  /** Minimum interval between emails per user. */
  sendThrottle: SendThrottle
  /** Digits in a code, 6 to 12. Default 6. */
  codeLength?: number
  /** Wrong code answers allowed per sign-in, 1 to 10. Default 3. */
  maxCodeAttempts?: number
  /** Seconds between two emails to one user. Default 30. */
  minSendIntervalSeconds?: number
  /**
   * A code older than this is refused even if Cognito's session is still alive.
   * Default 180, Cognito's default `AuthSessionValidity`; set it to yours.
   */
  codeTtlSeconds?: number
  /** Optional secret mixed into the code hash kept in the challenge metadata. */
  codePepper?: string
  /** The session bridge (pools topology). Without it, the bridge method is refused. */
  bridge?: { trustedPools: BridgePool[]; maxAgeSeconds?: number }
  /** Email text overrides, possibly per locale. */
  templates?: TemplatesOption
  /** Sign-up allow/deny lists of email domains (exact, case-insensitive; `.example.com` also matches subdomains). */
  emailDomains?: { allow?: string[]; deny?: string[] }
  /**
   * Refuse `PreSignUp_SignUp` when the username is not `usernameForEmail(email)`,
   * so one person cannot end up with two identities. Default true.
   */
  requireStableUsername?: boolean
  /** Milliseconds since the epoch; injectable for tests and the emulator's clock. */
  now?: () => number
  /** Receives one entry per decision (never codes, tokens or addresses), e.g. why an answer was refused. */
  log?: (entry: TriggerLogEntry) => void
}

/** What a trigger decided and why; safe to print. */
export interface TriggerLogEntry {
  trigger: 'defineAuthChallenge' | 'createAuthChallenge' | 'verifyAuthChallengeResponse' | 'preSignUp'
  outcome: string
  step?: string
  reason?: string
}

/** Options after validation, with defaults applied and matchers built. */
export interface ResolvedOptions {
  email: EmailSender
  signer: LinkSigner
  verifier: LinkVerifier
  store: SingleUseStore
  checkRedirect: (candidate: unknown) => RedirectCheck
  linkTtlSeconds: number
  audience: string
  trustedPoolIds: string[]
  throttle: SendThrottle
  codeLength: number
  maxCodeAttempts: number
  minSendIntervalSeconds: number
  codeTtlSeconds: number
  codePepper: string | undefined
  bridge: { check: BridgeSignatureCheck; maxAgeSeconds: number } | undefined
  templates: TemplatesOption | undefined
  emailDomains: { allow: string[] | undefined; deny: string[] }
  requireStableUsername: boolean
  nowSeconds: () => number
  log: (entry: TriggerLogEntry) => void
}

function integer(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

function hasMethod(value: unknown, method: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function'
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new TypeError(`${name} must be an array of non-empty strings`)
  }
  return value
}

/** Validates options once, at start-up: a caller's mistake is a TypeError that names the option. */
export function resolveOptions(options: AuthTriggerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createAuthTriggers needs options')
  const { links } = options
  if (!hasMethod(options.email, 'send')) throw new TypeError('email must be an EmailSender with send()')
  if (typeof links !== 'object' || links === null) throw new TypeError('links is required')
  if (!hasMethod(links.signer, 'sign')) throw new TypeError('links.signer must have sign()')
  if (!hasMethod(links.verifier, 'verify')) throw new TypeError('links.verifier must have verify()')
  if (!hasMethod(links.store, 'consume')) throw new TypeError('links.store must be a SingleUseStore')
  if (!hasMethod(options.sendThrottle, 'acquire')) throw new TypeError('sendThrottle must be a SendThrottle')
  if (typeof links.audience !== 'string' || links.audience === '') throw new TypeError('links.audience is required')
  const trustedPoolIds = stringList(links.trustedPoolIds, 'links.trustedPoolIds')
  if (trustedPoolIds.length === 0) throw new TypeError('links.trustedPoolIds must list at least one pool')
  const bridge = options.bridge
  if (options.log !== undefined && typeof options.log !== 'function') throw new TypeError('log must be a function')
  const { templates } = options
  if (
    templates !== undefined &&
    typeof templates !== 'function' &&
    (typeof templates !== 'object' || templates === null)
  ) {
    throw new TypeError('templates must be an object or a function of the locale')
  }
  if (bridge !== undefined && !Array.isArray(bridge?.trustedPools)) {
    throw new TypeError('bridge.trustedPools must be an array')
  }
  const now = options.now ?? Date.now
  return {
    email: options.email,
    signer: links.signer,
    verifier: links.verifier,
    store: links.store,
    checkRedirect: createRedirectMatcher(stringList(links.redirectAllowList, 'links.redirectAllowList')),
    linkTtlSeconds: integer(links.ttlSeconds, 'links.ttlSeconds', MAX_LINK_TTL_SECONDS, 60, MAX_LINK_TTL_SECONDS),
    audience: links.audience,
    trustedPoolIds,
    throttle: options.sendThrottle,
    codeLength: integer(options.codeLength, 'codeLength', 6, 6, 12),
    maxCodeAttempts: integer(options.maxCodeAttempts, 'maxCodeAttempts', 3, 1, 10),
    minSendIntervalSeconds: integer(options.minSendIntervalSeconds, 'minSendIntervalSeconds', 30, 0, 3600),
    codeTtlSeconds: integer(options.codeTtlSeconds, 'codeTtlSeconds', 180, 60, 900),
    codePepper: options.codePepper,
    bridge:
      bridge === undefined
        ? undefined
        : {
            check: createBridgeSignatureCheck(bridge.trustedPools),
            maxAgeSeconds: integer(bridge.maxAgeSeconds, 'bridge.maxAgeSeconds', 300, 10, 86_400),
          },
    templates: options.templates,
    emailDomains: {
      allow:
        options.emailDomains?.allow === undefined
          ? undefined
          : stringList(options.emailDomains.allow, 'emailDomains.allow'),
      deny: options.emailDomains?.deny === undefined ? [] : stringList(options.emailDomains.deny, 'emailDomains.deny'),
    },
    requireStableUsername: options.requireStableUsername ?? true,
    nowSeconds: () => now() / 1000,
    log: options.log ?? (() => {}),
  }
}
