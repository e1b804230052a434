import { normaliseEmail } from '../identity/stable-username.js'

/** Providers that ignore dots in the local part and deliver `googlemail.com` to `gmail.com`. */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' }

/**
 * The mailbox an address delivers to, for budgets only (never for identity, see docs/usernames.md):
 * lower-cased, a trailing dot of the domain dropped, `+tag` removed from the local part, and at
 * Gmail the dots too. `Ada.L+x@GoogleMail.com.` and `adal@gmail.com` share one budget, because one
 * inbox receives both.
 *
 * @example
 * mailboxOf('Ada.L+news@GMail.com') // 'adal@gmail.com'
 */
export function mailboxOf(email: string): string {
  const address = normaliseEmail(email)
  const at = address.lastIndexOf('@')
  let local = address.slice(0, at)
  let domain = address.slice(at + 1).replace(/\.+$/, '')
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  const dotless = DOTLESS_DOMAINS[domain]
  if (dotless !== undefined) {
    domain = dotless
    local = local.replaceAll('.', '')
  }
  return `${local}@${domain}`
}
