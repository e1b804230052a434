import { isKeySourceError, isPermissionError, TokenError, type VerifierErrorCode } from './errors.js'

const BEARER = /^Bearer[ ]+([^ ]+)[ ]*$/i

/**
 * The token of an `Authorization: Bearer <token>` header. A missing or non-Bearer header is TOKEN_MISSING.
 * `raw: true` also accepts a bare token (API Gateway TOKEN authorizers are often configured that way).
 */
export function bearerToken(header: string | null | undefined, raw = false): string {
  if (typeof header === 'string') {
    const match = BEARER.exec(header)
    if (match?.[1]) return match[1]
    if (raw && header !== '' && !header.includes(' ')) return header
  }
  throw new TokenError('TOKEN_MISSING', 'no Bearer token in the Authorization header')
}

/** Short, fixed descriptions: the answer names the reason but echoes nothing from the token or the config. */
const DESCRIPTIONS: Record<VerifierErrorCode, string> = {
  TOKEN_MISSING: 'no bearer token',
  TOKEN_TOO_LARGE: 'the token is too large',
  TOKEN_MALFORMED: 'the token is malformed',
  TOKEN_DUPLICATE_KEY: 'the token repeats a JSON key',
  ALG_NOT_ALLOWED: 'the token algorithm is not allowed',
  KID_MISSING: 'the token names no key',
  KID_UNKNOWN: 'the token key is unknown',
  ISSUER_NOT_TRUSTED: 'the token issuer is not trusted',
  SIGNATURE_INVALID: 'the token signature is invalid',
  CLAIM_INVALID: 'a token claim is invalid',
  TOKEN_EXPIRED: 'the token expired',
  TOKEN_NOT_YET_VALID: 'the token is not valid yet',
  TOKEN_USE_MISMATCH: 'wrong kind of token (id or access)',
  AUDIENCE_MISMATCH: 'the token is for another app client',
  CLIENT_ID_MISMATCH: 'the token is for another app client',
  GROUP_MISSING: 'the user lacks a required group',
  SCOPE_MISSING: 'the token lacks a required scope',
  JWKS_FETCH_FAILED: 'signing keys unavailable',
  JWKS_TIMEOUT: 'signing keys unavailable',
  JWKS_TOO_LARGE: 'signing keys unavailable',
  JWKS_INVALID: 'signing keys unavailable',
}

export interface HttpAnswer {
  status: 401 | 403 | 503
  headers: Record<string, string>
  body: { error: string; code: VerifierErrorCode; message: string }
}

/**
 * The HTTP answer to a rejected token (RFC 6750): 401 `invalid_token` with a `WWW-Authenticate` challenge;
 * 403 `insufficient_scope` when a genuine token lacks a group or scope; 503 when the keys could not be
 * fetched, because the token may be fine and the client should retry (or fail over), not sign in again.
 */
export function httpAnswer(error: TokenError): HttpAnswer {
  const description = DESCRIPTIONS[error.code] ?? 'invalid token'
  if (isKeySourceError(error)) {
    return {
      status: 503,
      headers: { 'retry-after': '5' },
      body: { error: 'temporarily_unavailable', code: error.code, message: description },
    }
  }
  if (error.code === 'TOKEN_MISSING') {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      body: { error: 'invalid_request', code: error.code, message: description },
    }
  }
  const kind = isPermissionError(error) ? 'insufficient_scope' : 'invalid_token'
  return {
    status: kind === 'insufficient_scope' ? 403 : 401,
    headers: { 'www-authenticate': `Bearer error="${kind}", error_description="${description}"` },
    body: { error: kind, code: error.code, message: description },
  }
}

/** One log line per rejection: the code and message, never the token. */
export type RejectionLog = (entry: { code: VerifierErrorCode; message: string; status: number }) => void

/** Claims in messages come from the caller: strip control characters (log injection) and cap the length. */
export function loggableMessage(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean
}

/** Builds the log entry for an answer and hands it to `log`. */
export function logRejection(log: RejectionLog, error: TokenError, status: number): void {
  log({ code: error.code, message: loggableMessage(error.message), status })
}

export const defaultRejectionLog: RejectionLog = (entry) => {
  console.warn(`regionless-verifier: rejected (${entry.status} ${entry.code}): ${entry.message}`)
}
