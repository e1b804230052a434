/** Why a token was rejected: stable strings, so callers can `switch (err.code)`. */
export type VerifierErrorCode = 'TOKEN_TOO_LARGE' | 'TOKEN_MALFORMED'

export class TokenError extends Error {
  override readonly name = 'TokenError'
  readonly code: VerifierErrorCode

  constructor(code: VerifierErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
