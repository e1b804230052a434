// Every partition key of the shared table (the single-use table, a global table in AWS) starts with
// one of these prefixes. They are the one list the stores, triggers and replication build keys from,
// and the one the deploy app scopes each function's table access to (IAM `dynamodb:LeadingKeys`): a
// function that can write only `send#…` items cannot forge a tombstone or spend someone's link.

/** The key prefixes of the shared table, by what the items hold. */
export const KEY_PREFIXES = {
  /** Send throttle: per user, the time of the last code or link email (CreateAuthChallenge). */
  send: 'send#',
  /** Budgets of the auth triggers: send interval, per-mailbox budget, wrong-code budget. */
  budget: 'budget#',
  /** A magic link's `jti`, spent when the link is redeemed (VerifyAuthChallenge). */
  link: 'link#',
  /** A bridge token's issuer and `jti`, spent when a peer's session is bridged (VerifyAuthChallenge). */
  bridge: 'bridge#',
  /** Replication: a deleted user's tombstone, so nothing queued re-creates the account. */
  tombstone: 'tombstone#',
} as const

export type KeyPrefix = keyof typeof KEY_PREFIXES

/** The send throttle's key of a user (a normalised username). */
export const sendKey = (username: string) => `${KEY_PREFIXES.send}${username}`

/** The single-use key of a magic link. */
export const linkKey = (jti: string) => `${KEY_PREFIXES.link}${jti}`

/** The single-use key of a bridge token: its `jti` is unique only within its issuer. */
export const bridgeKey = (issuer: string, jti: string) => `${KEY_PREFIXES.bridge}${issuer}#${jti}`

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
