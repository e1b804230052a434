import { TokenError } from './errors.js'

/** Cognito tokens are a few kB; anything far larger is refused before parsing. */
export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024

export interface ParsedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string
  signature: Buffer
}

const BASE64URL = /^[A-Za-z0-9_-]+$/

function decodeJson(segment: string, what: string): Record<string, unknown> {
  if (!BASE64URL.test(segment)) throw new TokenError('TOKEN_MALFORMED', `${what} is not base64url`)
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

/** Splits and decodes a compact JWS without trusting anything in it. */
export function parseJwt(token: string, maxBytes = DEFAULT_MAX_TOKEN_BYTES): ParsedJwt {
  if (typeof token !== 'string') throw new TokenError('TOKEN_MALFORMED', 'token is not a string')
  if (token.length > maxBytes) {
    throw new TokenError('TOKEN_TOO_LARGE', `token is ${token.length} bytes; at most ${maxBytes} are accepted`)
  }
  const parts = token.split('.')
  if (parts.length !== 3) throw new TokenError('TOKEN_MALFORMED', `token has ${parts.length} parts, expected 3`)
  const [h, p, s] = parts as [string, string, string]
  if (!BASE64URL.test(s)) throw new TokenError('TOKEN_MALFORMED', 'signature is not base64url')
  return {
    header: decodeJson(h, 'header'),
    payload: decodeJson(p, 'payload'),
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  }
}
