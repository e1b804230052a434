import { createHash } from 'node:crypto'

/**
 * Normalises an email address the same way in every region, so one person
 * maps to one username everywhere: trimmed, Unicode NFC, lower-cased.
 * Provider-specific rules (dots and `+tags` at Gmail) are deliberately not
 * applied: they are not true for every domain and would merge distinct people.
 */
export function normaliseEmail(email: string): string {
  if (typeof email !== 'string') throw new TypeError('email must be a string')
  const normalised = email.trim().normalize('NFC').toLowerCase()
  const at = normalised.lastIndexOf('@')
  if (at < 1 || at === normalised.length - 1 || /\s/.test(normalised)) {
    throw new TypeError(`email is not an address: ${JSON.stringify(email)}`)
  }
  return normalised
}

/**
 * The username Regionless gives a person in every pool: `u_` and the first
 * 32 hex digits (128 bits) of SHA-256 of the normalised email. Deterministic,
 * so two sign-ups of the same email in two regions at once collide on the
 * username (one identity) instead of creating two; opaque, so the username
 * never leaks the address in logs; stable after an email change, because the
 * username is never recomputed once the user exists.
 *
 * @example
 * usernameForEmail(' Ada@Example.com ') // 'u_…' (same as for 'ada@example.com')
 */
export function usernameForEmail(email: string): string {
  const digest = createHash('sha256').update(normaliseEmail(email), 'utf8').digest('hex')
  return `u_${digest.slice(0, 32)}`
}

/** True when `username` has the shape {@link usernameForEmail} produces. */
export function isStableUsername(username: string): boolean {
  return /^u_[0-9a-f]{32}$/.test(username)
}
