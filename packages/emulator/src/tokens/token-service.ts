import { randomUUID } from 'node:crypto'
import { type JWTHeaderParameters, jwtVerify, SignJWT } from 'jose'
import { notAuthorized } from '../errors.js'
import type { StoredUser } from '../store/user-store.js'
import type { PoolKeys, SigningKey } from './pool-keys.js'
import { createRefreshTokens, type RefreshGrant, type RefreshRotation } from './refresh-tokens.js'

export interface TokenValidity {
  accessSeconds: number
  idSeconds: number
  refreshSeconds: number
}

export interface AuthenticationResult {
  AccessToken: string
  IdToken: string
  RefreshToken?: string
  ExpiresIn: number
  TokenType: 'Bearer'
}

/**
 * Issues and checks one pool's tokens: ID tokens signed with the pool's ID
 * key, access tokens with its access key (as Cognito does, two `kid`s in one
 * JWKS), refresh tokens kept in `refresh`. Revoking a refresh token also
 * revokes the ID and access tokens of the same sign-in (`origin_jti`).
 */
export function createTokenService(options: {
  keys: PoolKeys
  issuer: string
  validity: TokenValidity
  rotation: RefreshRotation
  now: () => number
}) {
  const { keys, issuer, validity } = options
  const refresh = createRefreshTokens({
    now: options.now,
    validitySeconds: validity.refreshSeconds,
    rotation: options.rotation,
  })
  const seconds = () => Math.floor(options.now() / 1000)

  const sign = (claims: Record<string, unknown>, key: SigningKey) =>
    new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey)

  const publishedKey = (header: JWTHeaderParameters) => {
    const key = keys.publicKey(header.kid ?? '')
    if (!key) throw new Error('kid not published')
    return key
  }

  /** Tokens for `user`; a new sign-in unless `session` (a refresh) is given, and then no refresh token. */
  async function issue(
    user: StoredUser,
    clientId: string,
    session?: Pick<RefreshGrant, 'originJti' | 'authTime'>,
  ): Promise<AuthenticationResult> {
    const iat = seconds()
    const authTime = session?.authTime ?? iat
    const originJti = session?.originJti ?? randomUUID()
    const eventId = randomUUID()
    const { email_verified, phone_number_verified, ...attributes } = user.attributes
    const idClaims: Record<string, unknown> = {
      sub: user.sub,
      ...(email_verified !== undefined && { email_verified: email_verified === 'true' }),
      ...(phone_number_verified !== undefined && { phone_number_verified: phone_number_verified === 'true' }),
      iss: issuer,
      'cognito:username': user.username,
      origin_jti: originJti,
      aud: clientId,
      event_id: eventId,
      token_use: 'id',
      auth_time: authTime,
      exp: iat + validity.idSeconds,
      iat,
      jti: randomUUID(),
      ...attributes,
    }
    const accessClaims = {
      sub: user.sub,
      iss: issuer,
      client_id: clientId,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: authTime,
      exp: iat + validity.accessSeconds,
      iat,
      jti: randomUUID(),
      username: user.username,
    }
    const signing = keys.current()
    const result: AuthenticationResult = {
      AccessToken: await sign(accessClaims, signing.access),
      IdToken: await sign(idClaims, signing.id),
      ExpiresIn: validity.accessSeconds,
      TokenType: 'Bearer',
    }
    if (!session) result.RefreshToken = refresh.issue({ username: user.username, clientId, originJti, authTime })
    return result
  }

  return {
    issue,
    /** The sign-in a refresh token belongs to, or Cognito's NotAuthorizedException / RefreshTokenReuseException. */
    redeemRefresh: refresh.redeem,
    /** Rotation: the refresh token that replaces `token` (already redeemed). */
    rotateRefresh: refresh.rotate,
    /** RevokeToken: ends the refresh token's sign-in, its ID and access tokens included. */
    revokeRefresh: refresh.revoke,
    /** Verifies an access token of this pool (signature, issuer, expiry, use, revocation). */
    async verifyAccess(token: string): Promise<{ username: string; iat: number; originJti: string }> {
      let payload: Record<string, unknown>
      try {
        ;({ payload } = await jwtVerify(token, publishedKey, {
          issuer,
          algorithms: ['RS256'],
          currentDate: new Date(options.now()),
        }))
      } catch (err) {
        const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED'
        throw notAuthorized(expired ? 'Access Token has expired' : 'Invalid Access Token')
      }
      if (payload.token_use !== 'access' || typeof payload.username !== 'string') {
        throw notAuthorized('Invalid Access Token')
      }
      if (refresh.isRevoked(String(payload.origin_jti))) throw notAuthorized('Access Token has been revoked')
      return { username: payload.username, iat: Number(payload.iat), originJti: String(payload.origin_jti) }
    },
    /** GlobalSignOut: every sign-in of this user ends (refresh, ID and access tokens). */
    revokeUser: refresh.revokeUser,
  }
}

export type TokenService = ReturnType<typeof createTokenService>
