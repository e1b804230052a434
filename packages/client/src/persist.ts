import { hasCode } from './errors.js'

/**
 * How long work that only one region can do (a sign-up at the replicas'
 * primary, a new user's first sign-in there, the answer to a challenge that
 * region holds) keeps asking it while it fails quickly now and then.
 */
export const PERSIST_MS = 800

/** The pause before the next try: growing by half each time, so a flapping region gets a few more requests, not a flood. */
export const nextPause = (pause: number) => Math.round(pause * 1.5)

/**
 * True while a quick failure is worth another try after `pause`: a 5xx, or a
 * network error (in a browser a 5xx answer to the CORS preflight is one).
 * A time-out is not: it already cost a full wait.
 */
export const worthAnotherTry = (err: unknown, now: number, until: number, pause: number) =>
  hasCode(err, 'REGION_UNAVAILABLE', 'NETWORK') && now + pause < until && pause <= 1_000

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Runs `work`, again after growing pauses while it fails quickly (5xx, network) and `persistMs` lasts. */
export async function persistently<T>(now: () => number, persistMs: number, work: () => Promise<T>): Promise<T> {
  const until = now() + persistMs
  for (let pause = 15; ; pause = nextPause(pause)) {
    try {
      return await work()
    } catch (err) {
      if (!worthAnotherTry(err, now(), until, pause)) throw err
      await sleep(pause)
    }
  }
}
