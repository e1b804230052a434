/**
 * Every failure the client reports is a `RegionlessError` with a stable `code`,
 * so a UI can `switch (err.code)` without parsing messages.
 */
export type RegionlessErrorCode =
  | 'CODE_MISMATCH'
  | 'CODE_EXPIRED'
  | 'TOO_MANY_ATTEMPTS'
  | 'SESSION_EXPIRED'
  | 'LINK_INVALID'
  | 'LINK_EXPIRED'
  | 'LINK_USED'
  | 'NOT_AUTHORIZED'
  | 'USER_EXISTS'
  | 'USER_DISABLED'
  | 'INVALID_PARAMETER'
  | 'RATE_LIMITED'
  | 'REGION_UNAVAILABLE'
  | 'ALL_REGIONS_DOWN'
  | 'PRIMARY_UNAVAILABLE'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'NO_SESSION'
  | 'BRIDGE_FAILED'
  | 'UNKNOWN'

export interface RegionlessErrorOptions {
  cause?: unknown
  /** The region whose answer produced this error, when one did. */
  region?: string
  /** Cognito's `__type`, when the error came from Cognito. */
  cognitoType?: string
}

export class RegionlessError extends Error {
  override readonly name = 'RegionlessError'
  readonly code: RegionlessErrorCode
  readonly region: string | undefined
  readonly cognitoType: string | undefined

  constructor(code: RegionlessErrorCode, message: string, options: RegionlessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.region = options.region
    this.cognitoType = options.cognitoType
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
  return (
    value instanceof RegionlessError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'RegionlessError' &&
      typeof (value as { code?: unknown }).code === 'string')
  )
}

// Cognito's `__type` names (sometimes prefixed with a namespace and `#`).
const COGNITO_CODES: Record<string, RegionlessErrorCode> = {
  CodeMismatchException: 'CODE_MISMATCH',
  ExpiredCodeException: 'CODE_EXPIRED',
  NotAuthorizedException: 'NOT_AUTHORIZED',
  UsernameExistsException: 'USER_EXISTS',
  AliasExistsException: 'USER_EXISTS',
  UserNotConfirmedException: 'NOT_AUTHORIZED',
  // With "prevent user existence errors" on, Cognito does not send this one; when
  // it does, the UI must still not reveal it, so it maps like a failed sign-in.
  UserNotFoundException: 'NOT_AUTHORIZED',
  InvalidParameterException: 'INVALID_PARAMETER',
  InvalidPasswordException: 'INVALID_PARAMETER',
  TooManyRequestsException: 'RATE_LIMITED',
  LimitExceededException: 'RATE_LIMITED',
  TooManyFailedAttemptsException: 'TOO_MANY_ATTEMPTS',
  InternalErrorException: 'REGION_UNAVAILABLE',
  ServiceUnavailableException: 'REGION_UNAVAILABLE',
}

/** Maps a Cognito `__type` (with or without its namespace) to a stable code. */
export function codeForCognitoType(type: string): RegionlessErrorCode {
  const bare = type.includes('#') ? type.slice(type.lastIndexOf('#') + 1) : type
  return COGNITO_CODES[bare] ?? 'UNKNOWN'
}

/** Builds the error for a Cognito `{ __type, message }` answer. */
export function errorFromCognito(body: { __type?: unknown; message?: unknown }, region?: string): RegionlessError {
  const type = typeof body.__type === 'string' ? body.__type : 'UnknownError'
  const message = typeof body.message === 'string' && body.message ? body.message : type
  return new RegionlessError(codeForCognitoType(type), message, { cognitoType: type, region })
}
