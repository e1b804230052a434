// What an unknown user sees when the typed username is not an address: shaped
// like a real mask so it does not stand out.
export const FALLBACK_MASK = 'u***@e***.com'

/**
 * Masks an address for display in the challenge (`ada@example.com` →
 * `a***@e***.com`): enough for a person to recognise their inbox, not enough
 * to harvest addresses. Anything that is not an address gets the fixed
 * {@link FALLBACK_MASK}, so unknown users look like known ones.
 */
export function maskEmail(value: string | undefined): string {
  if (typeof value !== 'string') return FALLBACK_MASK
  const email = value.trim().toLowerCase()
  const at = email.lastIndexOf('@')
  if (at < 1 || /\s/.test(email)) return FALLBACK_MASK
  const local = email.slice(0, at)
  const labels = email.slice(at + 1).split('.')
  const tld = labels.length > 1 ? labels.at(-1) : undefined
  const first = labels[0]
  if (!first || !tld) return FALLBACK_MASK
  return `${Array.from(local)[0]}***@${Array.from(first)[0]}***.${tld}`
}
