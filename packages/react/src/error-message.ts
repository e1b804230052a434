import type { LoginStrings } from './strings.js'

interface ErrorLike {
  code?: string
  retryAfterSeconds?: number
}

/** The message the login shows for an error: one per code, a calm generic one otherwise. */
export function errorMessage(error: ErrorLike | null | undefined, strings: LoginStrings): string | null {
  if (!error) return null
  // The failover notice already says a new code came from another region.
  if (error.code === 'CHALLENGE_MOVED') return null
  const e = strings.errors
  switch (error.code) {
    case 'CODE_MISMATCH':
      return e.CODE_MISMATCH
    case 'CODE_EXPIRED':
      return e.CODE_EXPIRED
    case 'TOO_MANY_ATTEMPTS':
      return e.TOO_MANY_ATTEMPTS
    case 'SESSION_EXPIRED':
      return e.SESSION_EXPIRED
    case 'LINK_INVALID':
      return e.LINK_INVALID
    case 'LINK_EXPIRED':
      return e.LINK_EXPIRED
    case 'LINK_USED':
      return e.LINK_USED
    case 'RATE_LIMITED':
      return e.RATE_LIMITED(error.retryAfterSeconds)
    case 'ALL_REGIONS_DOWN':
    case 'REGION_UNAVAILABLE':
    case 'NETWORK':
    case 'TIMEOUT':
      return e.ALL_REGIONS_DOWN
    case 'PRIMARY_UNAVAILABLE':
      return e.PRIMARY_UNAVAILABLE
    case 'INVALID_EMAIL':
      return e.INVALID_EMAIL
    default:
      return e.generic
  }
}
