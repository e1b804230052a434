import { domainToASCII } from 'node:url'
import type { PreSignUpTriggerEvent } from 'aws-lambda'
import { ChallengeError } from '../errors.js'
import { normaliseEmail, usernameForEmail } from '../identity/stable-username.js'
import { assertTriggerEvent, stringField } from './event-guards.js'
import type { ResolvedOptions } from './options.js'

/**
 * A domain as DNS sees it: lower case, IDNA (punycode) form, without the trailing dot of a fully
 * qualified name. `Mailinator.COM.` and `mailinator.com` are one mail domain, and so must be to a rule.
 */
function canonicalDomain(value: string): string {
  const ascii = domainToASCII(value.trim().toLowerCase().replace(/\.+$/, ''))
  return ascii === '' ? value.trim().toLowerCase() : ascii
}

/**
 * `.example.com` means any subdomain and `example.com` that domain exactly, except in the deny
 * list, where `example.com` also covers its subdomains: `eu.mailinator.com` delivers to the same
 * disposable service, and a deny list that a subdomain walks around denies nothing.
 */
function domainMatches(domain: string, entry: string, list: 'allow' | 'deny'): boolean {
  const dotted = entry.trim().startsWith('.')
  const rule = canonicalDomain(dotted ? entry.trim().slice(1) : entry)
  if (domain.endsWith(`.${rule}`)) return dotted || list === 'deny'
  return domain === rule && !dotted
}

/**
 * Whether sign-up is allowed for an email domain: a deny entry always wins (a denied domain's
 * subdomains included); with an allow list, only listed domains pass.
 *
 * @example
 * isDomainAllowed('ada@corp.example.com', { allow: ['.example.com'], deny: [] }) // true
 * isDomainAllowed('x@eu.mailinator.com.', { allow: undefined, deny: ['mailinator.com'] }) // false
 */
export function isDomainAllowed(
  email: string,
  rules: { allow: readonly string[] | undefined; deny: readonly string[] },
): boolean {
  const domain = canonicalDomain(email.slice(email.lastIndexOf('@') + 1))
  if (rules.deny.some((entry) => domainMatches(domain, entry, 'deny'))) return false
  return rules.allow === undefined || rules.allow.some((entry) => domainMatches(domain, entry, 'allow'))
}

/**
 * PreSignUp. A self-service sign-up (`PreSignUp_SignUp`) is confirmed and its
 * email verified at once: there is no password to protect, and proving the
 * address is what every sign-in does. Users created by replication
 * (`PreSignUp_AdminCreateUser`) and federated ones are left exactly as they come.
 */
export function createPreSignUp(options: ResolvedOptions) {
  return async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
    assertTriggerEvent(event, ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'])
    if (event.triggerSource !== 'PreSignUp_SignUp') {
      options.log({ trigger: 'preSignUp', outcome: 'untouched', reason: event.triggerSource })
      return event
    }
    const raw = stringField(event.request.userAttributes, 'email')
    if (raw === undefined) throw new ChallengeError('NO_EMAIL', 'sign-up needs an email attribute')
    let email: string
    try {
      email = normaliseEmail(raw)
    } catch {
      throw new ChallengeError('INVALID_SIGN_UP', 'the email attribute is not an address')
    }
    if (!isDomainAllowed(email, options.emailDomains)) {
      throw new ChallengeError('EMAIL_DOMAIN_NOT_ALLOWED', 'sign-up is not open to this email domain')
    }
    if (options.requireStableUsername && event.userName !== usernameForEmail(email)) {
      throw new ChallengeError('INVALID_SIGN_UP', 'the username must be usernameForEmail(email)')
    }
    event.response = { ...event.response, autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false }
    options.log({ trigger: 'preSignUp', outcome: 'confirmed' })
    return event
  }
}
