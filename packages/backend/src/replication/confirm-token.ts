import { GetUserCommand, type GetUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Peer } from './apply-change.js'
import { errorName, sendBounded } from './failures.js'

/** What the issuing pool says of an access token: still good (and whose), or no longer. */
export type TokenConfirmation =
  | { active: true; username: string }
  | { active: false; reason: 'revoked' | 'unknown_pool' }

/** The pool a verified token came from (the verifier's `userPoolId`). */
export interface TokenIssuer {
  userPoolId: string
}

export type ConfirmAccessToken = (accessToken: string, issuer: TokenIssuer) => Promise<TokenConfirmation>

// Cognito's answers for a token that no longer holds: revoked (RevokeToken, GlobalSignOut,
// AdminUserGlobalSignOut), its user disabled or deleted.
const NO_LONGER_VALID = new Set(['NotAuthorizedException', 'UserNotFoundException'])

/**
 * Confirms an access token with the pool that issued it. An offline check (signature, expiry) cannot
 * see a revocation: a token taken before the victim's sign-out keeps passing it for up to an hour.
 * Cognito's `GetUser` refuses such a token, so destructive routes ask it first. `GetUser` takes the
 * access token itself as its credential: no IAM permission is involved.
 *
 * Any other failure (the pool unreachable, throttled) throws: the caller answers "try again" and
 * changes nothing, rather than trusting a token it could not confirm.
 *
 * @example
 * const confirm = createAccessTokenConfirmation({ pools })
 * const verdict = await confirm(token, { userPoolId: auth.userPoolId })
 * if (!verdict.active || verdict.username !== auth.username) return answer(401, { error: 'token_revoked' })
 */
export function createAccessTokenConfirmation(options: {
  /** Every pool whose tokens are accepted, this region's first (with replicas, its copy of the pool is asked). */
  pools: Peer[]
  /** Per Cognito call. Default 3000 ms. */
  timeoutMs?: number
}): ConfirmAccessToken {
  const timeoutMs = options.timeoutMs ?? 3_000
  return async (accessToken, issuer) => {
    // By pool id, this region's first: with replicas, the local copy answers for the shared pool.
    const pool = options.pools.find((p) => p.userPoolId === issuer.userPoolId)
    if (!pool) return { active: false, reason: 'unknown_pool' }
    try {
      const user = await sendBounded<GetUserCommandOutput>(
        pool.client,
        new GetUserCommand({ AccessToken: accessToken }),
        AbortSignal.timeout(timeoutMs),
      )
      return { active: true, username: String(user.Username) }
    } catch (err) {
      if (NO_LONGER_VALID.has(errorName(err))) return { active: false, reason: 'revoked' }
      throw err
    }
  }
}
