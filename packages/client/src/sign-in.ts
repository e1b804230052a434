import { answerChallenge, type OpenChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import { isOutageError, isRegionlessError, RegionlessError } from './errors.js'
import { checkEmail } from './identity.js'
import { type AuthenticationResult, type SessionRecord, tokensFrom, userFromIdToken } from './session-record.js'
import type { ChallengeState, Session } from './state.js'

/** Options of {@link AuthClient.signIn}. */
export interface SignInOptions {
  email: string
  method: 'code' | 'link'
  /** Link sign-in: where the link leads (must be allow-listed by the backend). Default: config or current page. */
  redirectUri?: string
}

interface Pending {
  open: OpenChallenge
  email: string
  redirectUri: string | undefined
}

/** Code and link sign-in, resend, and the failover of a challenge in progress. */
export function createSignInFlows(ctx: ClientContext, signedIn: (record: SessionRecord) => Promise<Session>) {
  let pending: Pending | null = null
  let inFlight: Promise<ChallengeState> | null = null
  const { store, events, config } = ctx

  const fail = (error: unknown, challenge?: ChallengeState | null): never => {
    const err = isRegionlessError(error)
      ? error
      : new RegionlessError('UNKNOWN', error instanceof Error ? error.message : 'Unexpected failure', { cause: error })
    store.dispatch({ type: 'failed', error: err, ...(challenge !== undefined ? { challenge } : {}) })
    throw err
  }

  const describe = (p: Pending, failover?: { from: string; to: string }): ChallengeState => {
    const attempts = Number(p.open.parameters.attemptsLeft)
    return {
      method: p.open.metadata.method === 'link' ? 'link' : 'code',
      email: p.email,
      region: p.open.region.region,
      ...(p.open.parameters.destination ? { destination: p.open.parameters.destination } : {}),
      ...(Number.isFinite(attempts) ? { attemptsLeft: attempts } : {}),
      resendAvailableAt: config.now() + config.resendCooldownSeconds * 1000,
      ...(failover ? { failover } : {}),
    }
  }

  const announce = (challenge: ChallengeState) => {
    store.dispatch({ type: 'challenge', challenge })
    events.emit(challenge.method === 'code' ? 'codeSent' : 'linkSent', challenge)
    return challenge
  }

  // Send (or send again) in the best region; `exclude` skips a region that just failed.
  async function send(email: string, method: 'code' | 'link', redirectUri: string | undefined, exclude?: string) {
    const metadata = method === 'code' ? { method } : { method, ...(redirectUri ? { redirectUri } : {}) }
    const open = await openChallenge(ctx, email, metadata, exclude ? { exclude: [exclude] } : {})
    return { open, email, redirectUri } satisfies Pending
  }

  const withRetryAfter = (err: unknown): ChallengeState | undefined => {
    const current = store.getSnapshot().challenge
    if (!current || !isRegionlessError(err) || err.code !== 'RATE_LIMITED' || !err.retryAfterSeconds) return undefined
    return { ...current, resendAvailableAt: config.now() + err.retryAfterSeconds * 1000 }
  }

  async function signIn(options: SignInOptions): Promise<ChallengeState> {
    if (typeof options !== 'object' || options === null) throw new TypeError('signIn options must be an object')
    const email = checkEmail(options.email)
    if (options.method !== 'code' && options.method !== 'link') throw new TypeError("method must be 'code' or 'link'")
    let redirectUri: string | undefined
    if (options.method === 'link') {
      const location = (globalThis as { location?: Location }).location
      redirectUri =
        options.redirectUri ?? config.redirectUri ?? (location ? location.origin + location.pathname : undefined)
      if (!redirectUri || !/^https?:\/\//.test(redirectUri)) throw new TypeError('redirectUri must be an http(s) URL')
    }
    // A second click while the first is sending must not send a second email.
    if (inFlight) return inFlight
    store.dispatch({ type: 'busy', status: 'sending' })
    inFlight = send(email, options.method, redirectUri)
      .then((p) => {
        pending = p
        return announce(describe(p))
      })
      .catch((err) => fail(err, withRetryAfter(err)))
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  async function resend(): Promise<ChallengeState> {
    const current = store.getSnapshot().challenge
    if (!pending || !current) throw new RegionlessError('NO_CHALLENGE', 'No sign-in to resend; call signIn first')
    const wait = current.resendAvailableAt - config.now()
    if (wait > 0) {
      throw new RegionlessError('RATE_LIMITED', 'Too soon to send again', { retryAfterSeconds: Math.ceil(wait / 1000) })
    }
    if (inFlight) return inFlight
    const { email, open, redirectUri } = pending
    store.dispatch({ type: 'busy', status: 'sending' })
    inFlight = send(email, open.metadata.method === 'link' ? 'link' : 'code', redirectUri)
      .then((p) => {
        pending = p
        const from = open.region.region
        const to = p.open.region.region
        return announce(describe(p, from === to ? undefined : { from, to }))
      })
      .catch((err) => fail(err, withRetryAfter(err)))
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  async function answer(code: string): Promise<Session> {
    if (typeof code !== 'string' || code.trim() === '') throw new TypeError('code must be a non-empty string')
    if (pending?.open.metadata.method !== 'code') {
      throw new RegionlessError('NO_CHALLENGE', 'No code sign-in in progress; call signIn first')
    }
    const current = pending
    store.dispatch({ type: 'busy', status: 'verifying' })
    let outcome: Awaited<ReturnType<typeof answerChallenge>>
    try {
      outcome = await answerChallenge(ctx, current.open, code.trim())
    } catch (err) {
      if (isOutageError(err)) return failover(current, err)
      pending = null
      const previous = store.getSnapshot().challenge
      const exhausted = isRegionlessError(err) && err.code === 'NOT_AUTHORIZED' && previous?.attemptsLeft === 1
      return fail(
        exhausted ? new RegionlessError('TOO_MANY_ATTEMPTS', 'Too many wrong codes; start again', { cause: err }) : err,
        null,
      )
    }
    if ('next' in outcome) {
      pending = { ...current, open: outcome.next }
      const attempts = Number(outcome.next.parameters.attemptsLeft)
      const previous = store.getSnapshot().challenge
      const challenge = previous && Number.isFinite(attempts) ? { ...previous, attemptsLeft: attempts } : previous
      return fail(new RegionlessError('CODE_MISMATCH', 'Wrong code', { region: current.open.region.region }), challenge)
    }
    pending = null
    return finish(current.open.region.region, outcome.tokens, current.open.username, current.email)
  }

  // The region died between sending the code and the answer: that code is
  // worthless elsewhere, so a new one is sent from the next region.
  async function failover(current: Pending, cause: unknown): Promise<never> {
    const from = current.open.region.region
    let next: Pending
    try {
      next = await send(current.email, 'code', current.redirectUri, from)
    } catch (err) {
      pending = null
      return fail(err, null)
    }
    pending = next
    const to = next.open.region.region
    announce(describe(next, { from, to }))
    return fail(
      new RegionlessError('CHALLENGE_MOVED', `${from} stopped answering; a new code was sent from ${to}`, {
        cause,
        region: to,
      }),
    )
  }

  async function finish(region: string, result: AuthenticationResult, username: string, email: string) {
    const tokens = tokensFrom(result, config.now())
    const user = userFromIdToken(tokens.idToken, username, email)
    return signedIn({ ...user, region, byRegion: { [region]: tokens } })
  }

  return {
    signIn,
    resend,
    answer,
    finish,
    reset() {
      pending = null
    },
  }
}
