import type { PoolEntry, TokenUse, TrustedIssuer } from './config.js'
import { TokenError } from './errors.js'

export interface ClaimPolicy {
  tokenUse: TokenUse | 'any'
  clockSkewSeconds: number
  groups: string[] | undefined
  scopes: string[] | undefined
}

/** Validity window of a token, in epoch seconds; kept with cached results so a hit re-checks it. */
export interface TokenTimes {
  exp: number
  nbf: number | undefined
  iat: number | undefined
}

function numericClaim(payload: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const value = payload[name]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TokenError('CLAIM_INVALID', `claim ${name} must be a number`, { found: value })
  }
  return value
}

/** Reads `exp`, `nbf` and `iat`, refusing tokens that never expire or carry non-numeric times. */
export function readTimes(payload: Record<string, unknown>): TokenTimes {
  return {
    exp: numericClaim(payload, 'exp', true)!,
    nbf: numericClaim(payload, 'nbf', false),
    iat: numericClaim(payload, 'iat', false),
  }
}

/** Checks the validity window against `now` (seconds); run on every verification, cached or not. */
export function checkTimes(times: TokenTimes, now: number, skew: number): void {
  if (now >= times.exp + skew) {
    throw new TokenError('TOKEN_EXPIRED', `token expired at ${new Date(times.exp * 1000).toISOString()}`, {
      expected: `before ${times.exp + skew}`,
      found: Math.floor(now),
    })
  }
  if (times.nbf !== undefined && times.nbf - skew > now) {
    throw new TokenError(
      'TOKEN_NOT_YET_VALID',
      `token is not valid before ${new Date(times.nbf * 1000).toISOString()}`,
      {
        expected: `after ${times.nbf - skew}`,
        found: Math.floor(now),
      },
    )
  }
  // A token issued in the future comes from a broken clock or a forger; Cognito sets iat on every token.
  if (times.iat !== undefined && times.iat - skew > now) {
    throw new TokenError('TOKEN_NOT_YET_VALID', `token claims to be issued in the future (iat ${times.iat})`, {
      expected: `iat ≤ ${Math.floor(now) + skew}`,
      found: times.iat,
    })
  }
}

function allClientIds(trusted: TrustedIssuer): string[] {
  return [...new Set(trusted.entries.flatMap((entry) => [...entry.clientIds]))]
}

function pickEntry(trusted: TrustedIssuer, tokenUse: TokenUse, payload: Record<string, unknown>): PoolEntry {
  // Cognito puts the app client in `aud` of ID tokens and in `client_id` of access tokens.
  const claim = tokenUse === 'id' ? 'aud' : 'client_id'
  const value = payload[claim]
  if (typeof value === 'string') {
    for (const entry of trusted.entries) if (entry.clientIds.has(value)) return entry
  }
  throw new TokenError(
    tokenUse === 'id' ? 'AUDIENCE_MISMATCH' : 'CLIENT_ID_MISMATCH',
    `${claim} is not an accepted app client of ${trusted.userPoolId}`,
    { expected: allClientIds(trusted), found: value },
  )
}

function overlap(have: readonly string[], wanted: readonly string[]): boolean {
  for (const item of wanted) if (have.includes(item)) return true
  return false
}

export interface ClaimCheck {
  entry: PoolEntry
  tokenUse: TokenUse
  username: string
}

/**
 * The Cognito-specific checks that follow a valid signature: token use, app client, groups, scopes, username.
 * Pure: the caller supplies the issuer's configuration.
 */
export function checkCognitoClaims(
  payload: Record<string, unknown>,
  trusted: TrustedIssuer,
  policy: ClaimPolicy,
): ClaimCheck {
  const tokenUse = payload.token_use
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new TokenError('TOKEN_USE_MISMATCH', 'token_use is neither "id" nor "access"', {
      expected: policy.tokenUse === 'any' ? ['id', 'access'] : policy.tokenUse,
      found: tokenUse,
    })
  }
  if (policy.tokenUse !== 'any' && tokenUse !== policy.tokenUse) {
    throw new TokenError(
      'TOKEN_USE_MISMATCH',
      `an ${tokenUse} token was given where an ${policy.tokenUse} token is required`,
      {
        expected: policy.tokenUse,
        found: tokenUse,
      },
    )
  }
  const entry = pickEntry(trusted, tokenUse, payload)
  if (policy.groups) {
    const groups = payload['cognito:groups']
    const have = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : []
    if (!overlap(have, policy.groups)) {
      throw new TokenError('GROUP_MISSING', 'the user is in none of the required groups', {
        expected: policy.groups,
        found: have,
      })
    }
  }
  if (policy.scopes) {
    const scope = payload.scope
    const have = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []
    if (!overlap(have, policy.scopes)) {
      throw new TokenError('SCOPE_MISSING', 'the token has none of the required scopes', {
        expected: policy.scopes,
        found: have,
      })
    }
  }
  // The username is the id that is the same in every pool (Regionless chooses it); `sub` differs per pool.
  const username = tokenUse === 'id' ? payload['cognito:username'] : payload.username
  if (typeof username !== 'string' || username === '') {
    throw new TokenError('CLAIM_INVALID', `${tokenUse === 'id' ? 'cognito:username' : 'username'} is missing`, {
      found: username,
    })
  }
  return { entry, tokenUse, username }
}
