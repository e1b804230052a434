import { invalidParameter, notAuthorized, optionalString, requireString, stringMap } from '../errors.js'
import type { AuthenticationResult } from '../tokens/token-service.js'
import { type Operation, type OperationContext, requireClient } from './context.js'

/**
 * New ID and access tokens for the sign-in behind a refresh token, with the
 * same `origin_jti` and `auth_time`. `rotate`: a new refresh token too, and
 * the presented one lives on only for the app client's grace period. The
 * token is rotated only once the new tokens exist, so a failed refresh never
 * burns it.
 */
async function renew(
  ctx: OperationContext,
  clientId: string,
  token: string,
  rotate: boolean,
): Promise<AuthenticationResult> {
  const { tokens, users } = ctx.pool
  const grant = tokens.redeemRefresh(token, clientId)
  const user = users.get(grant.username)
  if (!user) throw notAuthorized('Refresh Token has been revoked')
  if (!user.enabled) throw notAuthorized('User is disabled.')
  const result = await tokens.issue(user, clientId, grant)
  if (rotate) result.RefreshToken = tokens.rotateRefresh(token)
  return result
}

/**
 * InitiateAuth with REFRESH_TOKEN_AUTH (or its alias REFRESH_TOKEN). An app
 * client that rotates refresh tokens cannot allow this flow (Cognito:
 * "Refresh token rotation isn't compatible with the authentication flow
 * REFRESH_TOKEN_AUTH"), so it answers like any flow the client does not enable.
 */
export async function refreshTokenAuth(
  ctx: OperationContext,
  clientId: string,
  flow: string,
  params: Record<string, string>,
) {
  if (ctx.pool.settings.refreshTokenRotation.enabled) throw invalidParameter(`${flow} flow not enabled for this client`)
  const token = params.REFRESH_TOKEN
  if (!token) throw invalidParameter('Missing required parameter REFRESH_TOKEN')
  return { ChallengeParameters: {}, AuthenticationResult: await renew(ctx, clientId, token, false) }
}

/** GetTokensFromRefreshToken: works whether or not the app client rotates refresh tokens. */
export const getTokensFromRefreshToken: Operation = async (ctx, body) => {
  const clientId = requireClient(ctx, body)
  const token = requireString(body, 'RefreshToken')
  // Our app clients have no secret and the pool tracks no devices: both are checked for type only.
  optionalString(body, 'ClientSecret')
  optionalString(body, 'DeviceKey')
  stringMap(body, 'ClientMetadata')
  const rotate = ctx.pool.settings.refreshTokenRotation.enabled
  return { AuthenticationResult: await renew(ctx, clientId, token, rotate) }
}
