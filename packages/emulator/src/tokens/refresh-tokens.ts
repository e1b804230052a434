import { randomBytes } from 'node:crypto'
import { CognitoError, notAuthorized } from '../errors.js'

/** The app client's RefreshTokenRotation: Feature ENABLED or not, and RetryGracePeriodSeconds (0 to 60). */
export interface RefreshRotation {
  enabled: boolean
  retryGracePeriodSeconds: number
}

/**
 * What a refresh token stands for: one sign-in. Rotation hands out new tokens
 * of the same family (same `origin_jti`, `auth_time` and expiry: rotating
 * never extends a session), and revoking any of them ends the whole family.
 */
export interface RefreshGrant {
  username: string
  clientId: string
  originJti: string
  /** Seconds since the epoch. */
  authTime: number
  /** Seconds since the epoch; the same for every token of a family. */
  expiresAt: number
}

interface RefreshRecord extends RefreshGrant {
  /** When rotation replaced this token (ms); it stays valid for the grace period after. */
  replacedAt?: number
}

/**
 * One pool's refresh tokens: opaque random strings kept here so that
 * RevokeToken, GlobalSignOut and rotation can end them. Revoked and
 * rotated-out tokens are remembered, so that their reuse hears why it fails.
 */
export function createRefreshTokens(options: {
  now: () => number
  validitySeconds: number
  rotation: RefreshRotation
}) {
  const tokens = new Map<string, RefreshRecord>()
  const revokedOrigins = new Set<string>()
  const seconds = () => Math.floor(options.now() / 1000)

  const store = (grant: RefreshGrant) => {
    const token = randomBytes(96).toString('base64url')
    tokens.set(token, { ...grant })
    return token
  }

  return {
    /** The refresh token of a new sign-in. */
    issue(grant: Omit<RefreshGrant, 'expiresAt'>): string {
      return store({ ...grant, expiresAt: seconds() + options.validitySeconds })
    },

    /** The sign-in behind a refresh token presented by `clientId`, or Cognito's refusal. */
    redeem(token: string, clientId: string): RefreshGrant {
      const record = tokens.get(token)
      if (!record || record.clientId !== clientId) throw notAuthorized('Invalid Refresh Token')
      if (revokedOrigins.has(record.originJti)) throw notAuthorized('Refresh Token has been revoked')
      const graceMs = options.rotation.retryGracePeriodSeconds * 1000
      if (record.replacedAt !== undefined && options.now() >= record.replacedAt + graceMs) {
        throw new CognitoError('RefreshTokenReuseException', 'Refresh Token has been rotated')
      }
      if (record.expiresAt <= seconds()) throw notAuthorized('Refresh Token has expired')
      const { replacedAt: _, ...grant } = record
      return grant
    },

    /**
     * Rotation: a new token of the same family replaces `token`, which stays
     * valid for the grace period (a client's retry), counted from its first
     * replacement. Call it only after `redeem` accepted `token`.
     */
    rotate(token: string): string {
      const record = tokens.get(token)
      if (!record) throw new TypeError('rotate() needs a token that redeem() accepted')
      record.replacedAt ??= options.now()
      const { replacedAt: _, ...grant } = record
      return store(grant)
    },

    /** RevokeToken: ends the family of `token`. Unknown tokens are ignored, like Cognito. */
    revoke(token: string, clientId: string): void {
      const record = tokens.get(token)
      if (!record) return
      if (record.clientId !== clientId) throw notAuthorized('Invalid Refresh Token')
      revokedOrigins.add(record.originJti)
    },

    /** GlobalSignOut, AdminUserGlobalSignOut, deletes and disables: ends every family of the user. */
    revokeUser(username: string): void {
      const wanted = username.toLowerCase()
      for (const record of tokens.values()) {
        if (record.username.toLowerCase() === wanted) revokedOrigins.add(record.originJti)
      }
    },

    /** Whether the sign-in `originJti` was revoked (its ID and access tokens are refused too). */
    isRevoked: (originJti: string) => revokedOrigins.has(originJti),
  }
}

export type RefreshTokens = ReturnType<typeof createRefreshTokens>
