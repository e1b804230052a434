/**
 * Cognito's error model: every failure is `{ __type, message }` with an HTTP
 * status. Client mistakes are 400 (Cognito uses 400 even for auth failures),
 * service failures 500. Operations throw these; the HTTP layer serialises them.
 */
export class CognitoError extends Error {
  override readonly name = 'CognitoError'
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

export const isCognitoError = (err: unknown): err is CognitoError =>
  err instanceof Error && err.name === 'CognitoError' && typeof (err as CognitoError).type === 'string'

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message)
export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message)
export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.')
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message)
export const internalError = (message = 'Internal server error.') =>
  new CognitoError('InternalErrorException', message, 500)

/** What Cognito answers when a required request member is missing or not a string. */
export function requireString(body: Record<string, unknown>, member: string): string {
  const value = body[member]
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidParameter(
      `1 validation error detected: Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
    )
  }
  return value
}

export function optionalString(body: Record<string, unknown>, member: string): string | undefined {
  const value = body[member]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw invalidParameter(`${member} must be a string`)
  return value
}

/**
 * A `{ [k: string]: string }` member (ClientMetadata, AuthParameters…), validated. A `null`
 * entry is an absent one: Cognito accepts it, and amazon-cognito-identity-js sends
 * `AuthParameters.DEVICE_KEY: null` on every refresh of a user without a remembered device.
 */
export function stringMap(body: Record<string, unknown>, member: string): Record<string, string> | undefined {
  const value = body[member]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`${member} must be a map of strings`)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue
    if (typeof v !== 'string') throw invalidParameter(`${member}.${k} must be a string`)
    out[k] = v
  }
  return out
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)
