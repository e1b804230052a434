/**
 * Codes of the errors a challenge trigger throws on purpose. Cognito turns a
 * thrown error into `UserLambdaValidationException` with the message
 * `<Trigger> failed with error <message>`, so the message starts with the code
 * and a client can recognise it without parsing anything else.
 */
export type ChallengeErrorCode =
  | 'RATE_LIMITED'
  | 'LOCKED_OUT'
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
 * A setting is missing or invalid: an environment variable at cold start, or a key of a config file
 * (the emulator's; the deploy config's, as the `DeployConfigError` subclass). The message starts with the
 * setting's name (`REGIONLESS_CODE_LENGTH: must be an integer from 6 to 12, got "5"`), and `setting`
 * holds it, so the log points at the fix.
 */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError'
  /** The variable or config key at fault. */
  readonly setting: string

  constructor(setting: string, detail: string) {
    super(`${setting}: ${detail}`)
    this.setting = setting
  }

  /** The same as `setting` (the name when every ConfigError was about a variable). */
  get variable(): string {
    return this.setting
  }
}
