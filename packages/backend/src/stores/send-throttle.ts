export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/**
 * Enforces a minimum interval between emails to one user. `acquire` is atomic:
 * it records a send at `now` only when the previous one is at least
 * `intervalSeconds` old, otherwise says how long to wait.
 */
export interface SendThrottle {
  /** @param now seconds since the epoch */
  acquire(key: string, intervalSeconds: number, now: number): Promise<ThrottleDecision>
}

/**
 * An in-process {@link SendThrottle} for the emulator and tests.
 *
 * @example
 * const throttle = createMemorySendThrottle()
 * await throttle.acquire('send#u_1', 30, 1000) // { allowed: true }
 * await throttle.acquire('send#u_1', 30, 1010) // { allowed: false, retryAfterSeconds: 20 }
 */
export function createMemorySendThrottle(): SendThrottle {
  const lastSent = new Map<string, number>()
  let nextSweep = 0
  return {
    async acquire(key, intervalSeconds, now) {
      if (typeof key !== 'string' || key === '') throw new TypeError('throttle key must be a non-empty string')
      if (now >= nextSweep) {
        for (const [k, at] of lastSent) if (at + intervalSeconds < now) lastSent.delete(k)
        nextSweep = now + 60
      }
      const previous = lastSent.get(key)
      if (previous !== undefined && now - previous < intervalSeconds) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(previous + intervalSeconds - now)) }
      }
      lastSent.set(key, now)
      return { allowed: true }
    },
  }
}
