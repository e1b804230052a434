/**
 * Codes of the errors a challenge trigger throws on purpose. Cognito turns a
 * thrown error into `UserLambdaValidationException` with the message
 * `<Trigger> failed with error <message>`, so the message starts with the code
 * and a client can recognise it without parsing anything else.
 */
export type ChallengeErrorCode =
  | 'RATE_LIMITED'
  | 'INVALID_REDIRECT'
  | 'INVALID_METHOD'
  | 'MALFORMED_EVENT'
  | 'EMAIL_DOMAIN_NOT_ALLOWED'
  | 'INVALID_SIGN_UP'
  | 'NO_EMAIL'

/**
 * An error a trigger throws to stop the flow with a reason the client may see.
 * The message is `<CODE>: <detail>`; it never carries a code, a token or an address.
 *
 * @example
 * try { await triggers.createAuthChallenge(event) } catch (err) {
 *   if (isChallengeError(err) && err.code === 'RATE_LIMITED') console.log(err.retryAfterSeconds)
 * }
 */
export class ChallengeError extends Error {
  override readonly name = 'ChallengeError'
  readonly code: ChallengeErrorCode
  readonly retryAfterSeconds: number | undefined

  constructor(code: ChallengeErrorCode, detail: string, options?: { retryAfterSeconds?: number; cause?: unknown }) {
    super(`${code}: ${detail}`, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retryAfterSeconds = options?.retryAfterSeconds
  }
}

/** True for a {@link ChallengeError}, also across realms (checks the name, not only the prototype). */
export function isChallengeError(value: unknown): value is ChallengeError {
  return value instanceof ChallengeError || (value instanceof Error && value.name === 'ChallengeError')
}

/**
 * Thrown at cold start when an environment variable is missing or invalid; the
 * message and `variable` name the variable so the deploy log points at the fix.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly variable: string

  constructor(variable: string, detail: string) {
    super(`${variable}: ${detail}`)
    this.variable = variable
  }
}
