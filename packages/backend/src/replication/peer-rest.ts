/**
 * Peers whose direct write just failed, kept in the warm handler's memory:
 * the next sign-ups queue their copy at once instead of each waiting out the
 * same time-out inside Post confirmation, which Cognito's SignUp (and so the
 * person clicking "Email me a code") waits for. After `restMs` a sign-up
 * tries the peer directly again. Pure: the clock is passed in.
 */
export function createPeerRest(restMs: number, now: () => number) {
  const until = new Map<string, number>()
  return {
    resting: (region: string) => (until.get(region) ?? 0) > now(),
    failed: (region: string) => {
      until.set(region, now() + restMs)
    },
    answered: (region: string) => {
      until.delete(region)
    },
  }
}

/** How long a peer that failed a direct write is left to the queue. */
export const PEER_REST_MS = 30_000
