import type { ClientContext } from './context.js'
import type { Tokens } from './state.js'

/**
 * Ends a session in one pool: RevokeToken (its refresh token, and with it the
 * ID and access tokens of that sign-in) or, `global`, GlobalSignOut (every
 * sign-in of the user there). Through the router, so a region that does not
 * answer is marked down; at most 3 s, as a sign-out must never hang on one.
 */
export const revoke = (ctx: ClientContext, name: string, tokens: Tokens, global?: boolean): Promise<unknown> =>
  ctx.router.attempt(name, (region, signal) =>
    ctx.call(
      region,
      global ? 'GlobalSignOut' : 'RevokeToken',
      global ? { AccessToken: tokens.accessToken } : { Token: tokens.refreshToken, ClientId: region.clientId },
      { signal, timeoutMs: 3_000 },
    ),
  )
