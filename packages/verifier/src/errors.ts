/**
 * Why a token (or a key source) was rejected. Stable strings, so callers can `switch (err.code)`;
 * the message is for people and may change.
 */
export type VerifierErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_TOO_LARGE'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_DUPLICATE_KEY'
  | 'ALG_NOT_ALLOWED'
  | 'KID_MISSING'
  | 'KID_UNKNOWN'
  | 'ISSUER_NOT_TRUSTED'
  | 'SIGNATURE_INVALID'
  | 'CLAIM_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_USE_MISMATCH'
  | 'AUDIENCE_MISMATCH'
  | 'CLIENT_ID_MISMATCH'
  | 'GROUP_MISSING'
  | 'SCOPE_MISSING'
  | 'JWKS_FETCH_FAILED'
  | 'JWKS_TIMEOUT'
  | 'JWKS_TOO_LARGE'
  | 'JWKS_INVALID'

/** Codes that say "we could not get the keys", not "the token is bad": adapters answer 503, not 401. */
const KEY_SOURCE_CODES: ReadonlySet<VerifierErrorCode> = new Set([
  'JWKS_FETCH_FAILED',
  'JWKS_TIMEOUT',
  'JWKS_TOO_LARGE',
  'JWKS_INVALID',
])

/** Codes where the token is genuine but lacks a permission: adapters answer 403 `insufficient_scope`. */
const PERMISSION_CODES: ReadonlySet<VerifierErrorCode> = new Set(['GROUP_MISSING', 'SCOPE_MISSING'])

export interface TokenErrorDetails {
  /** What the check wanted (an issuer, a client id, a list of groups…). */
  expected?: unknown
  /** What the token carried. Never the token itself. */
  found?: unknown
  cause?: unknown
}

/**
 * The one error a verification rejects with. `code` names the reason; `expected`/`found` say what differed.
 *
 * @example
 * try { await verifier.verify(token) } catch (err) {
 *   if (isTokenError(err) && err.code === 'TOKEN_EXPIRED') return reauthenticate()
 *   throw err
 * }
 */
export class TokenError extends Error {
  override readonly name = 'TokenError'
  readonly code: VerifierErrorCode
  declare readonly expected?: unknown
  declare readonly found?: unknown

  constructor(code: VerifierErrorCode, message: string, details: TokenErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    if ('expected' in details) this.expected = details.expected
    if ('found' in details) this.found = details.found
  }
}

/** True for a TokenError, also one from another copy of this package (checks `name`, not `instanceof` alone). */
export function isTokenError(value: unknown): value is TokenError {
  return (
    value instanceof TokenError ||
    (value instanceof Error && value.name === 'TokenError' && typeof (value as { code?: unknown }).code === 'string')
  )
}

/** True when the keys could not be obtained (the token itself may be fine). */
export function isKeySourceError(error: TokenError): boolean {
  return KEY_SOURCE_CODES.has(error.code)
}

/** True when the token is genuine but lacks a group or scope the verifier requires. */
export function isPermissionError(error: TokenError): boolean {
  return PERMISSION_CODES.has(error.code)
}
