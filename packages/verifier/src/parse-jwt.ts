import { decodeSegment } from './base64url.js'
import { TokenError } from './errors.js'
import { decodeJsonObject } from './json-object.js'

/** Cognito tokens are a few kB; anything far larger is refused before parsing. */
export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024

const BASE64URL = /^[A-Za-z0-9_-]+$/
const SEGMENT_NAMES = ['header', 'payload', 'signature']

export interface JwtSegments {
  header: string
  payload: string
  signature: string
  /** Index of the second dot: `token.slice(0, signingEnd)` is what the signature covers. */
  signingEnd: number
}

function malformed(token: string): TokenError {
  const parts = token.split('.')
  if (parts.length !== 3) return new TokenError('TOKEN_MALFORMED', `token has ${parts.length} parts, expected 3`)
  const bad = parts.findIndex((part) => !BASE64URL.test(part))
  return new TokenError('TOKEN_MALFORMED', `${SEGMENT_NAMES[bad] ?? 'token'} is not base64url`)
}

/** Splits a compact JWS after the size check, without decoding or trusting anything in it. */
export function splitJwt(token: unknown, maxBytes = DEFAULT_MAX_TOKEN_BYTES): JwtSegments {
  if (typeof token !== 'string') throw new TokenError('TOKEN_MALFORMED', 'token is not a string')
  if (token.length > maxBytes) {
    throw new TokenError('TOKEN_TOO_LARGE', `token is ${token.length} characters; at most ${maxBytes} are accepted`, {
      expected: maxBytes,
      found: token.length,
    })
  }
  const first = token.indexOf('.')
  const second = first < 1 ? -1 : token.indexOf('.', first + 1)
  if (
    second <= first + 1 ||
    second === token.length - 1 ||
    token.indexOf('.', second + 1) !== -1 ||
    // Equal UTF-8 and UTF-16 lengths means pure ASCII: the decoder would read a wide character's low byte.
    Buffer.byteLength(token, 'utf8') !== token.length ||
    token.indexOf('+') !== -1 ||
    token.indexOf('/') !== -1 ||
    token.indexOf('=') !== -1
  ) {
    throw malformed(token)
  }
  return {
    header: token.slice(0, first),
    payload: token.slice(first + 1, second),
    signature: token.slice(second + 1),
    signingEnd: second,
  }
}

export interface ParsedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string
  signature: Buffer
}

/**
 * Splits and decodes a compact JWS without trusting anything in it: size limit first, then structure,
 * then JSON objects with unique keys.
 *
 * @example
 * const { header, payload } = parseJwt(token) // throws TokenError('TOKEN_MALFORMED') on garbage
 */
export function parseJwt(token: string, maxBytes = DEFAULT_MAX_TOKEN_BYTES): ParsedJwt {
  const segments = splitJwt(token, maxBytes)
  return {
    header: decodeJsonObject(segments.header, 'header'),
    payload: decodeJsonObject(segments.payload, 'payload'),
    signingInput: token.slice(0, segments.signingEnd),
    signature: decodeSegment(segments.signature, 'signature'),
  }
}
