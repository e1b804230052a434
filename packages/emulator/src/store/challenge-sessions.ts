import { randomBytes } from 'node:crypto'
import { notAuthorized } from '../errors.js'

/** One entry of the trigger events' `session` array (`SRP_A` opens a custom flow that starts with SRP). */
export interface ChallengeResult {
  challengeName: 'CUSTOM_CHALLENGE' | 'SRP_A'
  challengeResult: boolean
  challengeMetadata?: string
}

/** What Cognito remembers between two calls of a custom-auth sign-in. */
export interface ChallengeState {
  clientId: string
  /** The resolved username, or what was typed when the user does not exist. */
  username: string
  userNotFound: boolean
  history: ChallengeResult[]
  current: {
    challengeName: 'CUSTOM_CHALLENGE'
    privateChallengeParameters: Record<string, string>
    challengeMetadata?: string
  }
}

/**
 * Challenge sessions: opaque strings, each usable once, expiring after the
 * app client's AuthSessionValidity (3 minutes by default). Each answer gets a
 * fresh session string, so replaying an old one fails like on Cognito.
 */
export function createSessionStore(options: { now: () => number; validityMinutes: number }) {
  const sessions = new Map<string, { state: ChallengeState; expiresAt: number }>()

  const sweep = () => {
    const now = options.now()
    // Keep expired entries for an hour so a late answer hears "session is expired", not "invalid".
    for (const [id, entry] of sessions) if (entry.expiresAt + 3_600_000 <= now) sessions.delete(id)
  }

  return {
    create(state: ChallengeState): string {
      sweep()
      const id = randomBytes(160).toString('base64url')
      sessions.set(id, { state, expiresAt: options.now() + options.validityMinutes * 60_000 })
      return id
    },
    /** Takes a session out (single use); NotAuthorizedException when unknown, used or expired. */
    take(id: string): ChallengeState {
      const entry = sessions.get(id)
      sessions.delete(id)
      if (!entry) throw notAuthorized('Invalid session for the user.')
      if (entry.expiresAt <= options.now()) throw notAuthorized('Invalid session for the user, session is expired.')
      return entry.state
    },
    size: () => sessions.size,
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>
