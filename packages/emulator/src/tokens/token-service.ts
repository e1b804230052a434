import { randomBytes, randomUUID } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import { notAuthorized } from '../errors.js'
import type { StoredUser } from '../store/user-store.js'
import type { PoolKeys } from './pool-keys.js'

export interface TokenValidity {
  accessSeconds: number
  idSeconds: number
  refreshSeconds: number
}

interface RefreshRecord {
  username: string
  clientId: string
  originJti: string
  authTime: number
  issuedAt: number
  expiresAt: number
}

export interface AuthenticationResult {
  AccessToken: string
  IdToken: string
  RefreshToken?: string
  ExpiresIn: number
  TokenType: 'Bearer'
}

/**
 * Issues and checks one pool's tokens. Refresh tokens are opaque random
 * strings kept here (so RevokeToken and GlobalSignOut can kill them);
 * revoking one also revokes the ID and access tokens of the same sign-in
 * (`origin_jti`), as Cognito does.
 */
export function createTokenService(options: {
  keys: PoolKeys
  issuer: string
  validity: TokenValidity
  now: () => number
}) {
  const { keys, issuer, validity } = options
  const refreshTokens = new Map<string, RefreshRecord>()
  const revokedOrigins = new Set<string>()
  const seconds = () => Math.floor(options.now() / 1000)

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ kid: keys.kid, alg: 'RS256' }).sign(keys.privateKey)

  async function issue(
    user: StoredUser,
    clientId: string,
    session?: { originJti: string; authTime: number },
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
    const result: AuthenticationResult = {
      AccessToken: await sign(accessClaims),
      IdToken: await sign(idClaims),
      ExpiresIn: validity.accessSeconds,
      TokenType: 'Bearer',
    }
    if (!session) {
      const token = randomBytes(96).toString('base64url')
      refreshTokens.set(token, {
        username: user.username,
        clientId,
        originJti,
        authTime,
        issuedAt: iat,
        expiresAt: iat + validity.refreshSeconds,
      })
      result.RefreshToken = token
    }
    return result
  }

  return {
    issue,
    /** The sign-in a refresh token belongs to, or NotAuthorizedException. */
    redeemRefresh(token: string, clientId: string) {
      const record = refreshTokens.get(token)
      if (!record || record.clientId !== clientId || revokedOrigins.has(record.originJti)) {
        throw notAuthorized('Invalid Refresh Token')
      }
      if (record.expiresAt <= seconds()) throw notAuthorized('Refresh Token has expired')
      return record
    },
    /** RevokeToken: kills the refresh token and every token of its sign-in. */
    revokeRefresh(token: string, clientId: string) {
      const record = refreshTokens.get(token)
      if (!record) return
      if (record.clientId !== clientId) throw notAuthorized('Invalid Refresh Token')
      revokedOrigins.add(record.originJti)
      refreshTokens.delete(token)
    },
    /** Verifies an access token of this pool (signature, issuer, expiry, use, revocation). */
    async verifyAccess(token: string): Promise<{ username: string; iat: number; originJti: string }> {
      let payload: Record<string, unknown>
      try {
        ;({ payload } = await jwtVerify(token, keys.publicKey, {
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
      if (revokedOrigins.has(String(payload.origin_jti))) throw notAuthorized('Access Token has been revoked')
      return { username: payload.username, iat: Number(payload.iat), originJti: String(payload.origin_jti) }
    },
    /** GlobalSignOut: every sign-in of this user ends (refresh, ID and access tokens). */
    revokeUser(username: string) {
      const wanted = username.toLowerCase()
      for (const [token, record] of refreshTokens) {
        if (record.username.toLowerCase() !== wanted) continue
        revokedOrigins.add(record.originJti)
        refreshTokens.delete(token)
      }
    },
  }
}

export type TokenService = ReturnType<typeof createTokenService>
