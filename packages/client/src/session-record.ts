import { claim, decodeJwtPayload } from './jwt.js'
import type { Session, Tokens } from './state.js'

/** What is kept in storage: the user, the region in use, and tokens per region. */
export interface SessionRecord {
  userId: string
  email: string
  region: string
  byRegion: Record<string, Tokens>
  /**
   * Per region, the first ID token of the latest sign-in there (a new one
   * replaces it; the bridger ignores it once expired): the only token a peer
   * accepts for a bridge (a refreshed one never is), once per peer.
   */
  signIns?: Record<string, string>
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
  const { AccessToken: accessToken, IdToken: idToken, ExpiresIn: seconds } = result
  if (!accessToken || !idToken) throw new Error('No tokens in AuthenticationResult')
  const refreshToken = result.RefreshToken ?? previousRefresh
  return {
    idToken,
    accessToken,
    expiresAt: typeof seconds === 'number' ? now + seconds * 1000 : expiryOf(accessToken),
    ...(refreshToken && { refreshToken }),
  }
}

/**
 * The record of a new sign-in in `region`. The user is read from the ID token
 * (not verified: for display and routing only), else the given fallbacks.
 */
export function recordFrom(
  result: AuthenticationResult,
  region: string,
  username: string,
  email: string,
  now: number,
): SessionRecord {
  const tokens = tokensFrom(result, now)
  const claims = decodeJwtPayload(tokens.idToken)
  return {
    userId: claim<string>(claims, 'cognito:username', 'string') ?? username,
    email: claim<string>(claims, 'email', 'string') ?? email,
    region,
    byRegion: { [region]: tokens },
    signIns: { [region]: tokens.idToken },
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
  const v = value as SessionRecord | null | undefined
  return (
    typeof v?.userId === 'string' &&
    typeof v.email === 'string' &&
    typeof v.region === 'string' &&
    typeof v.byRegion === 'object' &&
    v.byRegion !== null
  )
}

export const isFresh = (tokens: Tokens | undefined, now: number, marginMs = 0): tokens is Tokens =>
  !!tokens && tokens.expiresAt - marginMs > now

/** A JWT's `exp` in ms (0 when unreadable). */
export const expiryOf = (token: string): number => (claim<number>(decodeJwtPayload(token), 'exp', 'number') ?? 0) * 1000

/** Fresh tokens among `byRegion`, those of `preferred` (the region in use) first. */
export const freshTokens = (
  byRegion: Record<string, Tokens>,
  preferred: string,
  now: number,
  marginMs = 0,
): Tokens | undefined => [byRegion[preferred], ...Object.values(byRegion)].find((t) => isFresh(t, now, marginMs))
