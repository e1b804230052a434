import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

const PREFIX = 'CODE'
// Cognito keeps challengeMetadata across rounds but hands it to every trigger
// and may log it on failures: only a salted, keyed hash ever goes there.
const METADATA_PATTERN = /^CODE:(\d{1,2}):(\d{1,12}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{43})$/

/** Draws a code of `length` decimal digits, each from the platform CSPRNG (no modulo bias). */
export function generateCode(length: number): string {
  let code = ''
  for (let i = 0; i < length; i++) code += String(randomInt(0, 10))
  return code
}

// The issue time is inside the MAC too, so the metadata cannot be edited to extend a code's life.
function digest(pepper: string, salt: string, issuedAt: string, code: string): Buffer {
  return createHmac('sha256', pepper).update(`${salt}:${issuedAt}:${code}`, 'utf8').digest()
}

export interface CodeHashOptions {
  /** Seconds since the epoch when the code was issued. */
  issuedAt: number
  /** Optional deployment secret mixed into the hash; without it the hash is salted SHA-256 keyed by a constant. */
  pepper?: string | undefined
}

/**
 * The `challengeMetadata` value that carries a code between rounds:
 * `CODE:<length>:<issuedAt>:<salt>:<HMAC(salt:issuedAt:code)>`. The same value is
 * copied into every later round so a wrong answer does not change the code.
 *
 * @example
 * const metadata = codeMetadata('123456', { issuedAt: 1_700_000_000 })
 * checkCode('123456', metadata, { now: 1_700_000_060, ttlSeconds: 900 }) // true
 */
export function codeMetadata(code: string, options: CodeHashOptions): string {
  const salt = randomBytes(16).toString('base64url')
  const issuedAt = String(Math.floor(options.issuedAt))
  const hash = digest(options.pepper ?? PREFIX, salt, issuedAt, code).toString('base64url')
  return `${PREFIX}:${code.length}:${issuedAt}:${salt}:${hash}`
}

/** True when `metadata` has the exact shape {@link codeMetadata} writes. */
export function isCodeMetadata(metadata: string): boolean {
  const match = METADATA_PATTERN.exec(metadata)
  return match !== null && Number(match[1]) >= 6 && Number(match[1]) <= 12
}

export interface CheckCodeOptions {
  now: number
  ttlSeconds: number
  pepper?: string | undefined
}

/**
 * Compares an answer with the code behind `metadata` in constant time (HMACs
 * of equal length through `timingSafeEqual`), and refuses codes older than
 * `ttlSeconds`. The hash is computed even for malformed answers so that the
 * time taken does not depend on what was typed.
 */
export function checkCode(answer: unknown, metadata: unknown, options: CheckCodeOptions): boolean {
  if (typeof metadata !== 'string') return false
  const match = METADATA_PATTERN.exec(metadata)
  if (match === null) return false
  const [, length, issuedAt, salt, expected] = match as unknown as [string, string, string, string, string]
  const typed = typeof answer === 'string' ? answer.trim() : ''
  const actual = digest(options.pepper ?? PREFIX, salt, issuedAt, typed)
  const same = timingSafeEqual(actual, Buffer.from(expected, 'base64url'))
  const wellFormed = typed.length === Number(length) && /^\d+$/.test(typed)
  const age = options.now - Number(issuedAt)
  return same && wellFormed && age >= -60 && age <= options.ttlSeconds
}
