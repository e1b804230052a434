/**
 * Cognito's per-category request quotas, as a token bucket per category and region. Cognito groups
 * user-pool operations into categories that share one requests-per-second quota per account and
 * region; over the rate it answers `TooManyRequestsException`. The figures are the defaults of the
 * Amazon Cognito Developer Guide, "Quotas in Amazon Cognito", table "Category operations".
 */
export interface QuotaCategory {
  /** Cognito's category name. */
  category: string
  /** The key under `quotas` in the config file. */
  configKey: 'userCreationRps' | 'userListRps'
  /** AWS's default quota, requests per second (documentation only: unset means unlimited here). */
  awsDefaultRps: number
  /** The operations of the category that the emulator serves. */
  operations: ReadonlySet<string>
}

export const QUOTA_CATEGORIES: readonly QuotaCategory[] = [
  // Replication spends the peer's quota, and the worker must back off when it runs out. Adjustable.
  {
    category: 'UserCreation',
    configKey: 'userCreationRps',
    awsDefaultRps: 50,
    operations: new Set(['SignUp', 'AdminCreateUser']),
  },
  // Reconcile and backfill page through whole pools with ListUsers under this one; not adjustable.
  { category: 'UserList', configKey: 'userListRps', awsDefaultRps: 30, operations: new Set(['ListUsers']) },
]

export type QuotaSettings = Partial<Record<QuotaCategory['configKey'], number>>

export function createTokenBucket(ratePerSecond: number, now: () => number = () => performance.now()) {
  if (!(ratePerSecond > 0)) throw new TypeError('ratePerSecond must be positive')
  // A one-second burst, like the service's quota windows; at least one call, or a rate under 1 RPS
  // (the config allows 0.1) would refuse everything.
  const capacity = Math.max(1, ratePerSecond)
  let tokens = capacity
  let last = now()
  return {
    take(): boolean {
      const t = now()
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * ratePerSecond)
      last = t
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}

/**
 * `(operation) => allowed?` for one region: one bucket per category that has a rate in `settings`
 * (an unset category is unlimited); undefined when no category is limited.
 */
export function createQuotaCheck(settings: QuotaSettings, now?: () => number) {
  const buckets = new Map<string, ReturnType<typeof createTokenBucket>>()
  for (const { configKey, operations } of QUOTA_CATEGORIES) {
    const rate = settings[configKey]
    if (rate === undefined) continue
    const bucket = createTokenBucket(rate, now)
    for (const operation of operations) buckets.set(operation, bucket)
  }
  if (buckets.size === 0) return undefined
  return (operation: string) => buckets.get(operation)?.take() ?? true
}
