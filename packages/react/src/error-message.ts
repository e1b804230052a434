import type { LoginStrings } from './strings.js'

/** What the login needs of an error: a `RegionlessError`, or anything with a `code`. */
export interface ErrorLike {
  code?: string
  retryAfterSeconds?: number
}

/** The message the login shows for an error: one per code, a calm generic one otherwise. */
export function errorMessage(error: ErrorLike | null | undefined, strings: LoginStrings): string | null {
  if (!error) return null
  // The failover notice already says a new code came from another region.
  if (error.code === 'CHALLENGE_MOVED') return null
  const e = strings.errors
  const wait = error.retryAfterSeconds
  switch (error.code) {
    case 'CODE_MISMATCH':
    case 'CODE_EXPIRED':
    case 'TOO_MANY_ATTEMPTS':
    case 'SESSION_EXPIRED':
    case 'LINK_INVALID':
    case 'PRIMARY_UNAVAILABLE':
    case 'INVALID_EMAIL':
    case 'PASSKEY_CANCELLED':
    case 'PASSKEY_UNSUPPORTED':
    case 'PASSKEY_REJECTED':
    case 'PASSKEY_EXISTS':
    case 'PASSKEY_NOT_FOUND':
    case 'PASSKEY_REGISTRATION_FAILED':
    case 'PASSKEYS_NOT_CONFIGURED':
      return e[error.code]
    case 'RATE_LIMITED':
      return e.RATE_LIMITED(wait)
    case 'LOCKED_OUT':
      return e.LOCKED_OUT(wait)
    case 'ALL_REGIONS_DOWN':
    case 'REGION_UNAVAILABLE':
    case 'NETWORK':
    case 'TIMEOUT':
      return wait ? e.ALL_REGIONS_DOWN_RETRY(wait) : e.ALL_REGIONS_DOWN
    default:
      return e.generic
  }
}

/**
 * The error worth showing on a step. A `RATE_LIMITED` on the code or link
 * step only repeats what the resend countdown already says (a second click,
 * a resend too soon), and two waits side by side would contradict each other.
 */
export function errorToShow(error: ErrorLike | null, resendIn: number): ErrorLike | null {
  return error?.code === 'RATE_LIMITED' && resendIn > 0 ? null : error
}

/** An error from `catch`, as the login shows it: its `code` if it has one. */
export const asErrorLike = (error: unknown): ErrorLike => {
  const { code, retryAfterSeconds } = (error ?? {}) as ErrorLike
  return { code: typeof code === 'string' ? code : 'UNKNOWN', retryAfterSeconds }
}
