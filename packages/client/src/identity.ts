// The stable username shared with @regionless/backend: 'u_' + the first 32 hex
// digits of SHA-256(normalised email), identical in every pool.

/** Trim, Unicode NFC, lower case: the form every region hashes. */
export const normaliseEmail = (email: string): string => email.trim().normalize('NFC').toLowerCase()

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Throws a `TypeError` for something that is not an email address. */
export function checkEmail(email: unknown, field = 'email'): string {
  if (typeof email !== 'string' || !EMAIL.test(email.trim())) {
    throw new TypeError(`${field} must be an email address`)
  }
  return email.trim()
}

/**
 * The username Regionless gives an email in every pool.
 *
 * @example
 * await usernameForEmail(' Ana@Example.com ') // 'u_…' (34 characters), same as for 'ana@example.com'
 */
export async function usernameForEmail(email: string): Promise<string> {
  const data = new TextEncoder().encode(normaliseEmail(email))
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data))
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
  return `u_${hex.slice(0, 32)}`
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz'
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const DIGITS = '23456789'
const SYMBOLS = '!#$%&*+-=?@^_'
const ALL = LOWER + UPPER + DIGITS + SYMBOLS

// Uniform in [0, n) without modulo bias: reject bytes past the largest multiple of n.
function below(n: number, random: () => number): number {
  const limit = 256 - (256 % n)
  for (;;) {
    const byte = random()
    if (byte < limit) return byte % n
  }
}

const pick = (alphabet: string, random: () => number): string => alphabet[below(alphabet.length, random)]!

/**
 * A password nobody ever uses: sign-up needs one, sign-in is passwordless.
 * 32 characters from a cryptographic RNG, with every class Cognito's default
 * policy asks for (lower, upper, digit, symbol).
 */
export function throwawayPassword(): string {
  const pool = new Uint8Array(256)
  let i = pool.length
  const random = () => {
    if (i === pool.length) {
      globalThis.crypto.getRandomValues(pool)
      i = 0
    }
    return pool[i++]!
  }
  const chars = [pick(LOWER, random), pick(UPPER, random), pick(DIGITS, random), pick(SYMBOLS, random)]
  while (chars.length < 32) chars.push(pick(ALL, random))
  // Fisher–Yates so the required classes are not always first.
  for (let j = chars.length - 1; j > 0; j--) {
    const k = below(j + 1, random)
    ;[chars[j], chars[k]] = [chars[k]!, chars[j]!]
  }
  return chars.join('')
}

/** 16 random hex digits from the cryptographic RNG: tab and lease owners. */
export const randomId = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')
