import { claimNumber, claimString, decodeJwtPayload } from './jwt.js'
import type { Session, Tokens } from './state.js'

/** What is kept in storage: the user, the region in use, and tokens per region. */
export interface SessionRecord {
  userId: string
  email: string
  region: string
  byRegion: Record<string, Tokens>
}

/** Cognito's `AuthenticationResult`. */
export interface AuthenticationResult {
  AccessToken?: string
  IdToken?: string
  RefreshToken?: string
  ExpiresIn?: number
}

/** Turns an AuthenticationResult into tokens; a refresh answer keeps the old refresh token. */
export function tokensFrom(result: AuthenticationResult, now: number, previousRefresh?: string): Tokens {
  if (!result.AccessToken || !result.IdToken) throw new Error('AuthenticationResult without tokens')
  const exp = claimNumber(decodeJwtPayload(result.AccessToken), 'exp')
  const expiresAt = typeof result.ExpiresIn === 'number' ? now + result.ExpiresIn * 1000 : (exp ?? 0) * 1000
  const refreshToken = result.RefreshToken ?? previousRefresh
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    expiresAt,
    ...(refreshToken ? { refreshToken } : {}),
  }
}

/** The user as the ID token tells it (not verified: for display and routing only). */
export function userFromIdToken(idToken: string, fallbackUserId: string, fallbackEmail: string) {
  const claims = decodeJwtPayload(idToken)
  return {
    userId: claimString(claims, 'cognito:username') ?? fallbackUserId,
    email: claimString(claims, 'email') ?? fallbackEmail,
  }
}

/** The public view of a record: the tokens of the region in use. */
export function sessionOf(record: SessionRecord | null): Session | null {
  const tokens = record?.byRegion[record.region]
  if (!record || !tokens) return null
  return { userId: record.userId, email: record.email, region: record.region, tokens }
}

/** Guards what comes back from storage (another version, another app, a hand edit). */
export function isSessionRecord(value: unknown): value is SessionRecord {
  const v = value as SessionRecord | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.userId === 'string' &&
    typeof v.email === 'string' &&
    typeof v.region === 'string' &&
    typeof v.byRegion === 'object' &&
    v.byRegion !== null
  )
}

export const isFresh = (tokens: Tokens | undefined, now: number, marginMs = 0): tokens is Tokens =>
  !!tokens && tokens.expiresAt - marginMs > now
