import type { LoginMethod } from './login-method.js'

/**
 * Every string `<PasswordlessLogin/>` shows. Pass a partial object to replace
 * some (or all, for another language); functions receive the values they show.
 */
export interface LoginStrings {
  /** Heading of the email step. */
  title: string
  emailLabel: string
  emailPlaceholder: string
  continue: string
  chooseMethod: string
  sendCode: string
  sendLink: string
  /** Heading of the code step. */
  codeTitle: string
  codeLabel: string
  codeSentTo: (email: string) => string
  verify: string
  resend: string
  resendIn: (seconds: number) => string
  /** The resend action of the link step. */
  resendLink: string
  resendLinkIn: (seconds: number) => string
  /** The edit action beside the address the code or link went to. */
  useAnotherEmail: string
  /** Heading of the link step. */
  linkSentTitle: string
  linkSentTo: (email: string) => string
  linkCompleting: string
  sending: string
  verifying: string
  /** Heading of the signed-in view. */
  signedInAs: (email: string) => string
  /** The sign-in moved to another region mid-way, which sent a new code or link. */
  failover: (from: string, to: string, method: LoginMethod) => string
  /**
   * Shown when an account could not be created (replicas with the primary
   * region down) but the sign-in went ahead. It must not say whether the user
   * exists.
   */
  signUpUnavailable: (method: LoginMethod) => string
  attemptsLeft: (n: number) => string
  /** The username-first passkey button on the email step (shown when the client and browser support passkeys). */
  passkeySignIn: string
  /** While the browser's passkey dialog is open. */
  waitingForPasskey: string
  /** Offered once signed in with a code or link. */
  addPasskeyPrompt: string
  addPasskey: string
  notNow: string
  passkeyAdded: string
  errors: {
    CODE_MISMATCH: string
    CODE_EXPIRED: string
    TOO_MANY_ATTEMPTS: string
    SESSION_EXPIRED: string
    /** A link used, expired or not genuine: the backend cannot tell which. */
    LINK_INVALID: string
    RATE_LIMITED: (seconds?: number) => string
    /** Too many wrong codes over several sign-ins: code sign-in is paused (a link still works). */
    LOCKED_OUT: (seconds?: number) => string
    ALL_REGIONS_DOWN: string
    /** `ALL_REGIONS_DOWN` when the client knows how long to wait. */
    ALL_REGIONS_DOWN_RETRY: (seconds: number) => string
    PRIMARY_UNAVAILABLE: string
    INVALID_EMAIL: string
    /** The person closed the passkey dialog. */
    PASSKEY_CANCELLED: string
    PASSKEY_UNSUPPORTED: string
    /** Cognito refused the passkey (unknown, removed or someone else's). */
    PASSKEY_REJECTED: string
    PASSKEY_EXISTS: string
    PASSKEY_NOT_FOUND: string
    PASSKEY_REGISTRATION_FAILED: string
    PASSKEYS_NOT_CONFIGURED: string
    generic: string
  }
}

export const defaultStrings: LoginStrings = {
  title: 'Sign in',
  emailLabel: 'Email',
  emailPlaceholder: 'you@example.com',
  continue: 'Continue',
  chooseMethod: 'How would you like to sign in?',
  sendCode: 'Email me a code',
  sendLink: 'Email me a link',
  codeTitle: 'Enter your code',
  codeLabel: 'Verification code',
  codeSentTo: (d) => `We sent a code to ${d}`,
  verify: 'Verify',
  resend: 'Send a new code',
  resendIn: (s) => `You can ask for a new code in ${s} s`,
  resendLink: 'Send a new link',
  resendLinkIn: (s) => `You can ask for a new link in ${s} s`,
  useAnotherEmail: 'Use another email',
  linkSentTitle: 'Check your email',
  linkSentTo: (d) => `We sent a sign-in link to ${d}. Open it on any device.`,
  linkCompleting: 'Signing you in…',
  sending: 'Sending…',
  verifying: 'Verifying…',
  signedInAs: (e) => `Signed in as ${e}`,
  failover: (_from, to, method = 'code') =>
    `We sent a new ${method} from another region (${to}). Please use the newest ${method}.`,
  signUpUnavailable: (method) =>
    `New accounts can't be created right now. If you already have an account, we sent you a ${method}.`,
  attemptsLeft: (n) => (n === 1 ? '1 attempt left' : `${n} attempts left`),
  passkeySignIn: 'Sign in with a passkey',
  waitingForPasskey: 'Waiting for your passkey…',
  addPasskeyPrompt: 'Sign in faster next time: add a passkey (your fingerprint, face or screen lock).',
  addPasskey: 'Add a passkey',
  notNow: 'Not now',
  passkeyAdded: 'Passkey added. Next time, sign in with it.',
  errors: {
    CODE_MISMATCH: 'That code is not right. Check the newest email and try again.',
    CODE_EXPIRED: 'That code has expired. Ask for a new one.',
    TOO_MANY_ATTEMPTS: 'Too many wrong codes. Ask for a new one.',
    SESSION_EXPIRED: 'This sign-in took too long. Ask for a new code.',
    LINK_INVALID: 'This sign-in link has expired, was already used or is not valid. Ask for a new one.',
    RATE_LIMITED: (s) => (s ? `Too many requests. Try again in ${s} s.` : 'Too many requests. Try again shortly.'),
    LOCKED_OUT: (s) =>
      `Too many wrong codes. Sign in with a link, or try a code again in ${s ? `${Math.ceil(s / 60)} min` : 'a while'}.`,
    ALL_REGIONS_DOWN: 'We cannot reach the sign-in service right now. Please try again in a minute.',
    ALL_REGIONS_DOWN_RETRY: (s) => `We cannot reach the sign-in service right now. Please try again in ${s} s.`,
    PRIMARY_UNAVAILABLE: 'New accounts cannot be created right now. If you already have one, sign in.',
    INVALID_EMAIL: 'Enter an email address like name@example.com.',
    PASSKEY_CANCELLED: 'The passkey request was cancelled. Try again, or get a code by email.',
    PASSKEY_UNSUPPORTED: 'This browser cannot use passkeys here. Get a code by email instead.',
    PASSKEY_REJECTED: 'That passkey was not accepted. Try another one, or get a code by email.',
    PASSKEY_EXISTS: 'This device already has a passkey for your account.',
    PASSKEY_NOT_FOUND: 'That passkey no longer exists.',
    PASSKEY_REGISTRATION_FAILED: 'The passkey could not be saved. Please try again.',
    PASSKEYS_NOT_CONFIGURED: 'Passkeys are not available here.',
    generic: 'Something went wrong. Please try again.',
  },
}

/** What the `strings` prop accepts: any keys, `errors` merged one level deep. */
export type LoginStringsInput = Partial<Omit<LoginStrings, 'errors'>> & { errors?: Partial<LoginStrings['errors']> }

/** Merges a caller's partial strings (one level deep for `errors`). */
export function mergeStrings(overrides: LoginStringsInput = {}): LoginStrings {
  return { ...defaultStrings, ...overrides, errors: { ...defaultStrings.errors, ...overrides.errors } }
}
