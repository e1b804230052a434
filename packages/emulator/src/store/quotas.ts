/**
 * Cognito's per-category request quotas, as a token bucket per region. Only
 * the UserCreation category is modelled (SignUp and AdminCreateUser share
 * it; 50 RPS by default in AWS): replication spends the peer's quota, and the
 * worker must back off when it runs out. Over the rate, Cognito answers
 * `TooManyRequestsException`.
 */
export const USER_CREATION_OPERATIONS = new Set(['SignUp', 'AdminCreateUser'])

export function createTokenBucket(ratePerSecond: number, now: () => number = () => performance.now()) {
  if (!(ratePerSecond > 0)) throw new TypeError('ratePerSecond must be positive')
  // A one-second burst, like the service's quota windows.
  const capacity = ratePerSecond
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

/** `(operation) => allowed?` for one region, from `quotas.userCreationRps` (undefined = unlimited). */
export function createQuotaCheck(userCreationRps: number | undefined) {
  if (userCreationRps === undefined) return undefined
  const bucket = createTokenBucket(userCreationRps)
  return (operation: string) => !USER_CREATION_OPERATIONS.has(operation) || bucket.take()
}
