import type { PreSignUpTriggerEvent } from 'aws-lambda'
import { ChallengeError } from '../errors.js'
import { normaliseEmail, usernameForEmail } from '../identity/stable-username.js'
import { assertTriggerEvent, stringField } from './event-guards.js'
import type { ResolvedOptions } from './options.js'

function domainMatches(domain: string, entry: string): boolean {
  const rule = entry.trim().toLowerCase()
  // `.example.com` means any subdomain; `example.com` means exactly that domain.
  return rule.startsWith('.') ? domain.endsWith(rule) : domain === rule
}

/**
 * Whether sign-up is allowed for an email domain: a deny entry always wins;
 * with an allow list, only listed domains pass.
 *
 * @example
 * isDomainAllowed('ada@corp.example.com', { allow: ['.example.com'], deny: [] }) // true
 */
export function isDomainAllowed(
  email: string,
  rules: { allow: readonly string[] | undefined; deny: readonly string[] },
): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1)
  if (rules.deny.some((entry) => domainMatches(domain, entry))) return false
  return rules.allow === undefined || rules.allow.some((entry) => domainMatches(domain, entry))
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
