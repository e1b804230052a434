import type { EmailSender } from '../email/email-sender.js'
import type { TemplatesOption } from '../email/email-templates.js'
import { type BridgePool, type BridgeSignatureCheck, createBridgeSignatureCheck } from '../links/bridge-token.js'
import type { LinkSigner, LinkVerifier } from '../links/link-token.js'
import { createRedirectMatcher, type RedirectCheck } from '../links/redirect-allow-list.js'
import { challengeTtl } from '../passkeys/passkey-service.js'
import type { PasskeyStore } from '../passkeys/passkey-store.js'
import { type RelyingParty, resolveRelyingParty } from '../passkeys/relying-party.js'
import { getPath } from '../settings/paths.js'
import { TRIGGER_SETTINGS as S } from '../settings/trigger-settings.js'
import type { BudgetStore } from '../stores/budget-store.js'
import type { SingleUseStore } from '../stores/single-use-store.js'
import type { SendRule, WindowRule } from './budget-rules.js'

/**
 * Options of {@link createAuthTriggers}. Every I/O dependency is passed in. Ranges and defaults of the
 * settings are in `TRIGGER_SETTINGS` (one row each, also the source of the docs tables); a value out of
 * range throws a TypeError that names the option.
 */
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
    /** Link lifetime in seconds, at most 15 minutes (`TRIGGER_SETTINGS.linkTtlSeconds`). */
    ttlSeconds?: number
    /** The deployment's audience string, put in `aud` and required back. */
    audience: string
    /** Pool ids whose links are accepted (every pool of the deployment). */
    trustedPoolIds: string[]
  }
  /**
   * Where the send interval, the send budgets and the wrong-code lock-out are counted: one record per
   * region, summed over regions (`createDynamoBudgetStore` on the global table; in memory,
   * `createMemoryBudgetTable().forRegion(region)`).
   */
  budgets: BudgetStore
  /** Digits in an email code (`TRIGGER_SETTINGS.codeLength`). */
  codeLength?: number
  /** Wrong code answers allowed per sign-in (`TRIGGER_SETTINGS.maxCodeAttempts`). */
  maxCodeAttempts?: number
  /** Seconds between two emails to one user (`TRIGGER_SETTINGS.minSendIntervalSeconds`). */
  minSendIntervalSeconds?: number
  /** Emails per user and per mailbox in a window (`TRIGGER_SETTINGS.sendBudget`, `sendBudgetWindowSeconds`). */
  sendBudget?: { limit?: number; windowSeconds?: number }
  /** Code sign-in locks after this many wrong codes in the window (`TRIGGER_SETTINGS.maxWrongCodes`, `lockoutWindowSeconds`). */
  lockout?: { maxWrongCodes?: number; windowSeconds?: number }
  /**
   * A code older than this is refused even if Cognito's session is still alive. The default is
   * Cognito's default `AuthSessionValidity` (`TRIGGER_SETTINGS.codeTtlSeconds`); set it to yours.
   */
  codeTtlSeconds?: number
  /** Optional secret mixed into the code hash kept in the challenge metadata. */
  codePepper?: string
  /** The session bridge (pools topology). Without it, the bridge method is refused. */
  bridge?: {
    trustedPools: BridgePool[]
    /** The oldest peer sign-in accepted, in seconds (`TRIGGER_SETTINGS.bridgeMaxAgeSeconds`). */
    maxAgeSeconds?: number
  }
  /**
   * Passkeys (the fourth method). Without it, the passkey method is refused. The store must be the one
   * the passkey API writes and every region sees; challenges are spent in `links.store`.
   */
  passkeys?: {
    store: PasskeyStore
    /** The relying party id, a domain (`TRIGGER_SETTINGS.passkeyRpId`). */
    rpId: string
    /** Shown by authenticators (`TRIGGER_SETTINGS.passkeyRpName`). */
    rpName?: string
    /** Pages allowed to use passkeys (`TRIGGER_SETTINGS.passkeyOrigins`). */
    origins: string[]
    /** Seconds a passkey challenge may be answered (`TRIGGER_SETTINGS.passkeyChallengeTtlSeconds`). */
    challengeTtlSeconds?: number
  }
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
  budgets: BudgetStore
  codeLength: number
  maxCodeAttempts: number
  send: SendRule
  lockout: WindowRule
  codeTtlSeconds: number
  codePepper: string | undefined
  bridge: { check: BridgeSignatureCheck; maxAgeSeconds: number } | undefined
  passkeys: { store: PasskeyStore; relyingParty: RelyingParty; challengeTtlSeconds: number } | undefined
  templates: TemplatesOption | undefined
  emailDomains: { allow: string[] | undefined; deny: string[] }
  requireStableUsername: boolean
  nowSeconds: () => number
  log: (entry: TriggerLogEntry) => void
}

/** An integer option at its path in the table, checked against its range; its default when unset. */
function integer(options: AuthTriggerOptions, setting: { option: string; min: number; max: number; default: number }) {
  const value = getPath(options, setting.option)
  if (value === undefined) return setting.default
  const { option, min, max } = setting
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${option} must be an integer from ${min} to ${max}, got ${String(value)}`)
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
  if (!hasMethod(options.budgets, 'record') || typeof options.budgets.region !== 'string') {
    throw new TypeError('budgets must be a BudgetStore')
  }
  if (typeof links.audience !== 'string' || links.audience === '') {
    throw new TypeError(`${S.linkAudience.option} is required`)
  }
  const trustedPoolIds = stringList(links.trustedPoolIds, S.trustedPoolIds.option)
  if (trustedPoolIds.length === 0) throw new TypeError(`${S.trustedPoolIds.option} must list at least one pool`)
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
  const passkeys = options.passkeys
  if (passkeys !== undefined && !hasMethod(passkeys.store, 'findChallenge')) {
    throw new TypeError('passkeys.store must be a PasskeyStore')
  }
  return {
    email: options.email,
    signer: links.signer,
    verifier: links.verifier,
    store: links.store,
    checkRedirect: createRedirectMatcher(stringList(links.redirectAllowList, S.redirectAllowList.option)),
    linkTtlSeconds: integer(options, S.linkTtlSeconds),
    audience: links.audience,
    trustedPoolIds,
    budgets: options.budgets,
    codeLength: integer(options, S.codeLength),
    maxCodeAttempts: integer(options, S.maxCodeAttempts),
    send: {
      intervalSeconds: integer(options, S.minSendIntervalSeconds),
      limit: integer(options, S.sendBudget),
      windowSeconds: integer(options, S.sendBudgetWindowSeconds),
    },
    lockout: { limit: integer(options, S.maxWrongCodes), windowSeconds: integer(options, S.lockoutWindowSeconds) },
    codeTtlSeconds: integer(options, S.codeTtlSeconds),
    codePepper: options.codePepper,
    bridge:
      bridge === undefined
        ? undefined
        : {
            check: createBridgeSignatureCheck(bridge.trustedPools),
            maxAgeSeconds: integer(options, S.bridgeMaxAgeSeconds),
          },
    passkeys:
      passkeys === undefined
        ? undefined
        : {
            store: passkeys.store,
            relyingParty: resolveRelyingParty(passkeys),
            challengeTtlSeconds: challengeTtl(passkeys.challengeTtlSeconds),
          },
    templates: options.templates,
    emailDomains: {
      allow:
        options.emailDomains?.allow === undefined
          ? undefined
          : stringList(options.emailDomains.allow, S.emailDomainsAllow.option),
      deny:
        options.emailDomains?.deny === undefined
          ? []
          : stringList(options.emailDomains.deny, S.emailDomainsDeny.option),
    },
    requireStableUsername: options.requireStableUsername ?? S.requireStableUsername.default,
    nowSeconds: () => now() / 1000,
    log: options.log ?? (() => {}),
  }
}
