import { compactVerify, createLocalJWKSet, decodeJwt, type JSONWebKeySet } from 'jose'

/** A peer pool whose ID tokens may open a session here. */
export interface BridgePool {
  /** Exact `iss` of the peer's tokens, e.g. `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc`. */
  issuer: string
  /** The peer's app client ids; the ID token's `aud` must be one of them. */
  clientIds: string[]
  /** A snapshot of the peer's JWKS, shipped with the deployment so no network call is needed. */
  jwks: JSONWebKeySet
}

const CLOCK_SKEW_SECONDS = 30

export interface BridgeClaimRules {
  username: string
  pool: BridgePool
  maxAgeSeconds: number
  /** Seconds since the epoch. */
  now: number
}

/** What a valid bridge token spends: its sign-in, until every token of that sign-in is too old to bridge. */
export interface BridgeSpend {
  issuer: string
  /** The peer sign-in (Cognito's `origin_jti`): the same in every token its refresh token mints. */
  originJti: string
  /** Seconds since the epoch after which the spend may be forgotten: the sign-in is too old to bridge by then. */
  until: number
}

export type BridgeCheck = ({ ok: true } & BridgeSpend) | { ok: false; reason: string }

/**
 * The pure half of the bridge check, after the signature: the peer's issuer,
 * one of its app clients, an ID token (access tokens carry no audience and
 * are meant for APIs), the same username, not expired, a sign-in at most
 * `maxAgeSeconds` old (a stolen old token cannot be laundered into fresh
 * sessions), the first ID token of its sign-in, and an `origin_jti` to spend.
 *
 * First token: Cognito stamps a sign-in's tokens with `iat == auth_time` and
 * every refreshed one with a new `iat` but the original `auth_time`. Taking
 * only the first means a refresh token (the long-lived secret, the one most
 * likely stolen) can never be turned into sessions in other pools; spending
 * `origin_jti` per pool then allows one bridge per sign-in per peer.
 *
 * @example
 * checkBridgeClaims(payload, { username: 'u_…', pool, maxAgeSeconds: 300, now: 1_700_000_000 })
 */
export function checkBridgeClaims(payload: unknown, rules: BridgeClaimRules): BridgeCheck {
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'payload is not an object' }
  const claims = payload as Record<string, unknown>
  if (claims.iss !== rules.pool.issuer) return { ok: false, reason: 'untrusted issuer' }
  if (typeof claims.aud !== 'string' || !rules.pool.clientIds.includes(claims.aud)) {
    return { ok: false, reason: 'wrong audience' }
  }
  if (claims.token_use !== 'id') return { ok: false, reason: 'not an ID token' }
  if (claims['cognito:username'] !== rules.username) return { ok: false, reason: 'token is for another user' }
  const { exp, auth_time: authTime, iat, origin_jti: originJti } = claims
  if (typeof exp !== 'number' || exp <= rules.now) return { ok: false, reason: 'expired' }
  if (typeof authTime !== 'number') return { ok: false, reason: 'missing auth_time' }
  if (authTime > rules.now + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'auth_time in the future' }
  if (rules.now - authTime > rules.maxAgeSeconds) return { ok: false, reason: 'sign-in is too old' }
  if (iat !== authTime) return { ok: false, reason: 'not the first ID token of its sign-in' }
  if (typeof originJti !== 'string' || originJti === '' || originJti.length > 128) {
    return { ok: false, reason: 'missing origin_jti' }
  }
  return {
    ok: true,
    issuer: claims.iss as string,
    originJti,
    until: authTime + rules.maxAgeSeconds + CLOCK_SKEW_SECONDS,
  }
}

/** Checks a peer token's signature against the snapshot of the pool that claims to have issued it. */
export type BridgeSignatureCheck = (
  token: string,
) => Promise<{ ok: true; pool: BridgePool; payload: Record<string, unknown> } | { ok: false; reason: string }>

/**
 * Builds the signature half of the bridge check. The unverified `iss` only
 * picks which trusted pool's keys to try; a token naming an unknown issuer is
 * refused before any crypto, and only RS256 (what Cognito signs with) is allowed.
 */
export function createBridgeSignatureCheck(pools: readonly BridgePool[]): BridgeSignatureCheck {
  const byIssuer = new Map(
    pools.map((pool) => {
      if (typeof pool?.issuer !== 'string' || !Array.isArray(pool.clientIds) || !Array.isArray(pool.jwks?.keys)) {
        throw new TypeError('bridge.trustedPools entries need issuer, clientIds and jwks.keys')
      }
      return [pool.issuer, { pool, keys: createLocalJWKSet(pool.jwks) }] as const
    }),
  )
  return async (token) => {
    let issuer: unknown
    try {
      issuer = decodeJwt(token).iss
    } catch {
      return { ok: false, reason: 'not a JWT' }
    }
    const entry = typeof issuer === 'string' ? byIssuer.get(issuer) : undefined
    if (entry === undefined) return { ok: false, reason: 'untrusted issuer' }
    try {
      const { payload } = await compactVerify(token, entry.keys, { algorithms: ['RS256'] })
      return { ok: true, pool: entry.pool, payload: JSON.parse(new TextDecoder().decode(payload)) }
    } catch {
      return { ok: false, reason: 'bad signature' }
    }
  }
}
