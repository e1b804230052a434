/**
 * Every failure the client reports is a `RegionlessError` with a stable `code`,
 * so a UI can `switch (err.code)` without parsing messages.
 */
export type RegionlessErrorCode =
  | 'CODE_MISMATCH'
  | 'CODE_EXPIRED'
  | 'TOO_MANY_ATTEMPTS'
  | 'SESSION_EXPIRED'
  /** A magic link that was used, has expired or is not genuine: Cognito answers all three alike. */
  | 'LINK_INVALID'
  | 'NOT_AUTHORIZED'
  | 'USER_EXISTS'
  | 'USER_DISABLED'
  | 'INVALID_PARAMETER'
  | 'RATE_LIMITED'
  /** Too many wrong codes for this person, over sign-ins and regions: code sign-in waits `retryAfterSeconds`. */
  | 'LOCKED_OUT'
  | 'REGION_UNAVAILABLE'
  | 'ALL_REGIONS_DOWN'
  | 'PRIMARY_UNAVAILABLE'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'NO_SESSION'
  | 'BRIDGE_FAILED'
  | 'INVALID_REDIRECT'
  | 'CHALLENGE_MOVED'
  | 'NO_CHALLENGE'
  /** A passkey call on a client created without the `passkeys()` plugin. */
  | 'PASSKEYS_NOT_CONFIGURED'
  /** The person closed the browser's passkey dialog, or the wait was aborted. */
  | 'PASSKEY_CANCELLED'
  /** This browser (or page: IP-address origins, plain http) cannot use passkeys. */
  | 'PASSKEY_UNSUPPORTED'
  /** Cognito refused the assertion: an unknown, removed or wrong passkey. */
  | 'PASSKEY_REJECTED'
  /** The authenticator already holds a passkey for this account (registration). */
  | 'PASSKEY_EXISTS'
  /** The passkey was not found (another user's, or deleted meanwhile). */
  | 'PASSKEY_NOT_FOUND'
  /** The backend could not verify the new passkey. */
  | 'PASSKEY_REGISTRATION_FAILED'
  | 'UNKNOWN'

export interface RegionlessErrorOptions {
  cause?: unknown
  /** The region whose answer produced this error, when one did. */
  region?: string
  /** Cognito's `__type`, when the error came from Cognito. */
  cognitoType?: string
  /** For `RATE_LIMITED`, `LOCKED_OUT` and `ALL_REGIONS_DOWN`: how long to wait before trying again. */
  retryAfterSeconds?: number
}

export class RegionlessError extends Error {
  override readonly name = 'RegionlessError'
  // Declared, not initialised: the options are copied in the constructor, so
  // the bundle carries no field list.
  declare readonly code: RegionlessErrorCode
  declare readonly region: string | undefined
  declare readonly cognitoType: string | undefined
  declare readonly retryAfterSeconds: number | undefined

  constructor(code: RegionlessErrorCode, message: string, { cause, ...details }: RegionlessErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause })
    Object.assign(this, details, { code })
  }
}

/**
 * True for a `RegionlessError`, also one created by another copy of this
 * package (another bundle, another realm), where `instanceof` would fail.
 *
 * @example
 * try { await client.answer(code) } catch (err) {
 *   if (isRegionlessError(err) && err.code === 'CODE_MISMATCH') showRetry()
 * }
 */
export function isRegionlessError(value: unknown): value is RegionlessError {
  const v = value as RegionlessError | null | undefined
  return v?.name === 'RegionlessError' && typeof v.code === 'string'
}

// Cognito's `__type` names without their `Exception` suffix.
const COGNITO_CODES: Record<string, RegionlessErrorCode> = {
  CodeMismatch: 'CODE_MISMATCH',
  ExpiredCode: 'CODE_EXPIRED',
  NotAuthorized: 'NOT_AUTHORIZED',
  // A refresh token retired by rotation (its grace period over).
  RefreshTokenReuse: 'NOT_AUTHORIZED',
  UsernameExists: 'USER_EXISTS',
  AliasExists: 'USER_EXISTS',
  UserNotConfirmed: 'NOT_AUTHORIZED',
  // With "prevent user existence errors" on, Cognito does not send this one; when
  // it does, the UI must still not reveal it, so it maps like a failed sign-in.
  UserNotFound: 'NOT_AUTHORIZED',
  InvalidParameter: 'INVALID_PARAMETER',
  InvalidPassword: 'INVALID_PARAMETER',
  TooManyRequests: 'RATE_LIMITED',
  LimitExceeded: 'RATE_LIMITED',
  TooManyFailedAttempts: 'TOO_MANY_ATTEMPTS',
  InternalError: 'REGION_UNAVAILABLE',
  ServiceUnavailable: 'REGION_UNAVAILABLE',
}

const bareType = (type: string) => type.slice(type.lastIndexOf('#') + 1)

/** True when `err` is a `RegionlessError` with one of `codes`. */
export const hasCode = (err: unknown, ...codes: RegionlessErrorCode[]): err is RegionlessError =>
  isRegionlessError(err) && codes.includes(err.code)

/** Maps a Cognito `__type` (with or without its namespace) to a stable code. */
export function codeForCognitoType(type: string): RegionlessErrorCode {
  return COGNITO_CODES[bareType(type).replace(/Exception$/, '')] ?? 'UNKNOWN'
}

/** Builds the error for a Cognito `{ __type, message }` answer. */
export function errorFromCognito(body: { __type?: unknown; message?: unknown }, region?: string): RegionlessError {
  const type = typeof body.__type === 'string' ? body.__type : 'UnknownError'
  const message = (typeof body.message === 'string' && body.message) || type
  let code = codeForCognitoType(type)
  // Our CreateAuthChallenge trigger reports send throttling and bad redirects by
  // throwing; Cognito wraps that as UserLambdaValidationException with the
  // trigger's message inside, e.g. "CreateAuthChallenge failed with error
  // RATE_LIMITED: wait retryAfterSeconds=27".
  const trigger = /(RATE_LIMITED|LOCKED_OUT|INVALID_REDIRECT):/.exec(message)?.[1] as RegionlessErrorCode | undefined
  if (trigger && bareType(type) === 'UserLambdaValidationException') code = trigger
  // Cognito answers an expired or reused challenge session with NotAuthorized.
  else if (code === 'NOT_AUTHORIZED')
    code = /session/i.test(message) ? 'SESSION_EXPIRED' : /disabled/i.test(message) ? 'USER_DISABLED' : code
  const seconds = /retryAfterSeconds=(\d+)/.exec(message)?.[1]
  return new RegionlessError(code, message, {
    cognitoType: type,
    region,
    retryAfterSeconds: seconds && code !== 'INVALID_REDIRECT' ? +seconds : undefined,
  })
}

/** Wraps anything thrown into a `RegionlessError` (code `UNKNOWN` unless it already is one). */
export const toRegionlessError = (err: unknown): RegionlessError =>
  isRegionlessError(err) ? err : new RegionlessError('UNKNOWN', String((err as Error)?.message ?? err), { cause: err })

/**
 * True when an error means "this region is not answering properly", so the
 * client should try another region: network and CORS failures, time-outs,
 * 5xx answers and Cognito's own throttling. Other 4xx answers are the
 * region working as intended.
 */
export const isOutageError = (err: unknown): boolean =>
  hasCode(err, 'NETWORK', 'TIMEOUT', 'REGION_UNAVAILABLE') ||
  (isRegionlessError(err) && bareType(`${err.cognitoType}`) === 'TooManyRequestsException')
