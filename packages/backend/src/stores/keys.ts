// Every partition key of the shared table (the single-use table, a global table in AWS) starts with
// one of these prefixes. They are the one list the stores, triggers and replication build keys from,
// and the one the deploy app scopes each function's table access to (IAM `dynamodb:LeadingKeys`): a
// function that can write only `budget#…` items cannot forge a tombstone or spend someone's link.

/** The key prefixes of the shared table, by what the items hold. */
export const KEY_PREFIXES = {
  /**
   * Budgets of the auth triggers, one item per region (`…#<region>`): emails per user and per mailbox
   * (CreateAuthChallenge), wrong codes per user (both triggers read it, VerifyAuthChallenge writes it).
   */
  budget: 'budget#',
  /** A magic link's `jti`, spent when the link is redeemed (VerifyAuthChallenge). */
  link: 'link#',
  /** A peer sign-in (issuer, `origin_jti`) bridged into a pool, spent once per pool (VerifyAuthChallenge). */
  bridge: 'bridge#',
  /** Replication: a deleted user's tombstone, so nothing queued re-creates the account. */
  tombstone: 'tombstone#',
  /** A user's passkeys, one item per user (the passkey API writes them, VerifyAuthChallenge records their use). */
  passkey: 'passkey#',
  /** A WebAuthn challenge issued by the passkey API, kept until it expires (VerifyAuthChallenge reads it). */
  challenge: 'challenge#',
  /** A WebAuthn challenge answered once, spent in every region (VerifyAuthChallenge, the passkey API). */
  webauthn: 'webauthn#',
} as const

export type KeyPrefix = keyof typeof KEY_PREFIXES

/** What a budget counts: emails to a user or to a mailbox, wrong codes of a user. */
export type BudgetKind = 'send' | 'mailbox' | 'wrong'

/** A budget's key (each region's item adds `#<region>`); `subject` is a username or a mailbox digest. */
export const budgetKey = (kind: BudgetKind, subject: string) => `${KEY_PREFIXES.budget}${kind}#${subject}`

/** The single-use key of a magic link. */
export const linkKey = (jti: string) => `${KEY_PREFIXES.link}${jti}`

/** The single-use key of a peer sign-in bridged into `userPoolId`: `origin_jti` is unique only within its issuer. */
export const bridgeKey = (issuer: string, originJti: string, userPoolId: string) =>
  `${KEY_PREFIXES.bridge}${issuer}#${originJti}#${userPoolId}`

/** The item holding a user's passkeys (the stable username, as Cognito's `userName`). */
export const passkeysKey = (username: string) => `${KEY_PREFIXES.passkey}${username}`

/** An issued WebAuthn challenge (base64url). */
export const challengeKey = (challenge: string) => `${KEY_PREFIXES.challenge}${challenge}`

/** The single-use key of an answered WebAuthn challenge. */
export const webauthnKey = (challenge: string) => `${KEY_PREFIXES.webauthn}${challenge}`

/** A deleted user's tombstone; usernames compare case-insensitively, as Cognito's do. */
export const tombstoneKey = (username: string) => `${KEY_PREFIXES.tombstone}${username.toLowerCase()}`

/**
 * The `dynamodb:LeadingKeys` patterns (for `ForAllValues:StringLike`) that let a function touch only
 * items under the given prefixes.
 *
 * @example
 * leadingKeyPatterns(['link', 'bridge']) // ['link#*', 'bridge#*']
 */
export function leadingKeyPatterns(prefixes: readonly KeyPrefix[]): string[] {
  return prefixes.map((prefix) => `${KEY_PREFIXES[prefix]}*`)
}
