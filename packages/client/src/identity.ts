// The stable username shared with @regionless/backend: 'u_' + the first 32 hex
// digits of SHA-256(normalised email), identical in every pool.

/** Trim, Unicode NFC, lower case: the form every region hashes. */
export const normaliseEmail = (email: string): string => email.trim().normalize('NFC').toLowerCase()

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** `a***@e***.com`: what a UI shows of the address a message went to (one `@`, as `checkEmail` ensures). */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  const dot = domain.lastIndexOf('.')
  return `${local[0]}***@${domain[0]}***${dot > 0 ? domain.slice(dot) : ''}`
}

/** Throws a `TypeError` for something that is not an email address. */
export function checkEmail(email: unknown): string {
  const trimmed = typeof email === 'string' ? email.trim() : ''
  if (!EMAIL.test(trimmed)) throw new TypeError('email must be an email address')
  return trimmed
}

/**
 * The username Regionless gives an email in every pool.
 *
 * @example
 * await usernameForEmail(' Ana@Example.com ') // 'u_…' (34 characters), same as for 'ana@example.com'
 */
export async function usernameForEmail(email: string): Promise<string> {
  const data = new TextEncoder().encode(normaliseEmail(email))
  return `u_${hex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data))).slice(0, 32)}`
}

/**
 * A password nobody ever uses: sign-up needs one, sign-in is passwordless.
 * 192 random bits (base64: `+` and `/` are among Cognito's special
 * characters) from the cryptographic RNG, plus one character of each class
 * Cognito's default policy asks for.
 */
export const throwawayPassword = (): string =>
  `${btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(24))))}aZ7!`

/** 16 random hex digits from the cryptographic RNG: tab and lease owners. */
export const randomId = (): string => hex(globalThis.crypto.getRandomValues(new Uint8Array(8)))
