/** Claims of a magic-link token. `iss` is the pool that sent it, `aud` the deployment. */
export interface LinkClaims {
  sub: string
  iat: number
  exp: number
  jti: string
  iss: string
  aud: string
}

/** Signs link claims into a compact JWS (ES256). Local: jose; AWS: KMS `Sign`. */
export interface LinkSigner {
  sign(claims: LinkClaims): Promise<string>
}

/**
 * Checks the signature of a compact JWS and returns its payload. It must
 * reject (throw) on a bad signature or algorithm; claim checks come after.
 */
export interface LinkVerifier {
  verify(token: string): Promise<Record<string, unknown>>
}

/** Links never live longer than this, whatever is configured. */
export const MAX_LINK_TTL_SECONDS = 900
const CLOCK_SKEW_SECONDS = 30

export interface LinkClaimRules {
  username: string
  audience: string
  trustedPoolIds: readonly string[]
  /** Seconds since the epoch. */
  now: number
}

export type LinkClaimCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: string }

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/**
 * The pure half of link verification, run after the signature check:
 * issued by a trusted pool of this deployment (a link from region A is
 * redeemed in region B), for this deployment's audience, for the user being
 * challenged, not expired, and never valid for more than 15 minutes even if
 * the signer was misconfigured.
 *
 * @example
 * checkLinkClaims(payload, { username: 'u_…', audience: 'app', trustedPoolIds: ['eu-west-1_A'], now: 1_700_000_000 })
 */
export function checkLinkClaims(payload: unknown, rules: LinkClaimRules): LinkClaimCheck {
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'payload is not an object' }
  const { sub, iat, exp, jti, iss, aud } = payload as Record<string, unknown>
  if (!isNonEmptyString(iss) || !rules.trustedPoolIds.includes(iss)) return { ok: false, reason: 'untrusted issuer' }
  if (aud !== rules.audience) return { ok: false, reason: 'wrong audience' }
  if (sub !== rules.username) return { ok: false, reason: 'link is for another user' }
  if (!isNonEmptyString(jti) || jti.length > 128) return { ok: false, reason: 'missing jti' }
  if (!Number.isFinite(iat) || !Number.isFinite(exp)) return { ok: false, reason: 'missing iat or exp' }
  const issuedAt = iat as number
  const expiresAt = exp as number
  if (expiresAt - issuedAt > MAX_LINK_TTL_SECONDS) return { ok: false, reason: 'lifetime longer than 15 minutes' }
  if (issuedAt > rules.now + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'issued in the future' }
  if (expiresAt <= rules.now) return { ok: false, reason: 'expired' }
  return { ok: true, claims: { sub, iat: issuedAt, exp: expiresAt, jti, iss, aud } }
}

/** The fragment key the client looks for: `<redirectUri>#regionless-link=<token>`. */
export const LINK_FRAGMENT_KEY = 'regionless-link'

/**
 * Puts the token in the URL fragment, which browsers never send to servers,
 * so mail scanners that prefetch the link and server logs never see it.
 */
export function linkUrl(redirect: URL, token: string): string {
  const url = new URL(redirect.href)
  url.hash = `${LINK_FRAGMENT_KEY}=${token}`
  return url.href
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** Cheap shape check before any crypto: three base64url parts, bounded length (ID tokens with many groups run long). */
export function looksLikeCompactJws(token: unknown): token is string {
  return typeof token === 'string' && token.length <= 16_384 && COMPACT_JWS.test(token)
}
