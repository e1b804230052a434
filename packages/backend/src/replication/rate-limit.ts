/**
 * A client-side share of a Cognito request quota. Reconcile must never
 * starve the app: Cognito's quotas are per account and region, shared by
 * every caller, so reconcile spends at most its configured rate, and when
 * Cognito answers "too many requests" anyway (the app is busy) it halves its
 * rate and climbs back slowly (additive increase, multiplicative decrease,
 * as TCP does), instead of retrying at full speed into the app's traffic.
 */
export interface RateLimiter {
  /** Resolves when one request may be sent. */
  take(): Promise<void>
  /** Cognito throttled a request: halve the rate for a while. */
  throttled(): void
  /** The current rate, requests per second. */
  readonly rate: number
}

export interface RateLimiterOptions {
  /** The share of the quota, requests per second. */
  rps: number
  /** Lowest rate after throttling (default: a tenth of `rps`, at least 0.5). */
  minRps?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/**
 * A token bucket with a one-second burst (like Cognito's own windows),
 * serving waiters in order.
 *
 * @example
 * const limiter = createRateLimiter({ rps: 10 })
 * await limiter.take(); await client.send(new ListUsersCommand(…))
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!(options.rps > 0) || !Number.isFinite(options.rps)) throw new RangeError('rps must be a positive number')
  const ceiling = options.rps
  const floor = Math.min(ceiling, options.minRps ?? Math.max(0.5, ceiling / 10))
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  let rate = ceiling
  let tokens = Math.max(1, rate)
  let last = now()
  let queue: Promise<void> = Promise.resolve()

  const refill = () => {
    const t = now()
    const seconds = Math.max(0, (t - last) / 1000)
    last = t
    // Additive increase: back to the ceiling within about ten seconds of no throttling.
    rate = Math.min(ceiling, rate + (seconds * ceiling) / 10)
    tokens = Math.min(Math.max(1, rate), tokens + seconds * rate)
  }

  const takeOne = async () => {
    for (;;) {
      refill()
      if (tokens >= 1) {
        tokens -= 1
        return
      }
      await sleep(Math.ceil(((1 - tokens) / rate) * 1000))
    }
  }

  return {
    take() {
      // One waiter at a time, so requests leave in the order they asked.
      const turn = queue.then(takeOne)
      queue = turn.catch(() => {})
      return turn
    },
    throttled() {
      refill()
      rate = Math.max(floor, rate / 2)
      tokens = Math.min(tokens, 0)
    },
    get rate() {
      return rate
    },
  }
}
