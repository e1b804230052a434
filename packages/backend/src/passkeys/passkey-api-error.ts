/** Codes of the passkey API's refusals (the `error` field of its JSON bodies). */
export type PasskeyApiErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'registration_failed'
  | 'challenge_expired'
  | 'already_registered'
  | 'too_many_passkeys'

const STATUS: Record<PasskeyApiErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  registration_failed: 400,
  challenge_expired: 400,
  already_registered: 409,
  too_many_passkeys: 409,
}

/** A refusal of the passkey API: an HTTP status, a stable code and a message safe to show. */
export class PasskeyApiError extends Error {
  override readonly name = 'PasskeyApiError'
  readonly status: number

  constructor(
    readonly code: PasskeyApiErrorCode,
    message: string,
  ) {
    super(message)
    this.status = STATUS[code]
  }
}
