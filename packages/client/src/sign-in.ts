import { type FirstChallenge, type LateOutcome, openWithAccount } from './account-first.js'
import { answerChallenge, type OpenChallenge, openChallenge } from './challenge.js'
import type { createChallengeRecord, PendingSignIn } from './challenge-record.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, RegionlessError, toRegionlessError } from './errors.js'
import { checkEmail, maskEmail } from './identity.js'
import { PERSIST_MS } from './persist.js'
import { recordFrom, type SessionRecord } from './session-record.js'
import type { ChallengeState, Session } from './state.js'

/** Options of {@link AuthClient.signIn}. */
export interface SignInOptions {
  email: string
  method: 'code' | 'link'
  /** Link sign-in: where the link leads (must be allow-listed by the backend). Default: config or current page. */
  redirectUri?: string
  /**
   * Creates the account first when the email is new (what a "sign in or sign
   * up" form wants), as part of this one call: its progress and errors are in
   * the state like the send's. New and existing users see the same outcome.
   */
  createAccount?: boolean
}

/** Strips what people type or paste around and inside a code: "123 456", "123-456". */
export const normaliseCode = (code: string): string => code.replace(/[\s\-\u2010-\u2015]/g, '')

function attemptsLeft(open: OpenChallenge): number | undefined {
  const left = Number(open.parameters.attemptsLeft)
  return Number.isFinite(left) ? left : undefined
}

/** Code and link sign-in, resend, and the failover of a challenge in progress. */
export function createSignInFlows(
  ctx: ClientContext,
  signedIn: (record: SessionRecord) => Promise<Session>,
  record: ReturnType<typeof createChallengeRecord>,
) {
  let pending: PendingSignIn | null = null
  let inFlight: Promise<ChallengeState> | null = null
  // Bumped by every new send and by reset(): late news about an older send is dropped.
  let generation = 0
  const { store, events, config } = ctx
  const snapshot = () => store.getSnapshot().challenge
  const inSeconds = (seconds: number) => config.now() + seconds * 1000
  const noChallenge = () => new RegionlessError('NO_CHALLENGE', 'No sign-in in progress')

  // The state and the stored record change together, so a reload shows what the user saw.
  const keep = () => {
    const challenge = snapshot()
    void (pending && challenge ? record.save(pending, challenge) : record.clear())
  }

  const fail = (error: unknown, challenge?: ChallengeState | null): never => {
    const err = toRegionlessError(error)
    store.dispatch({ type: 'failed', error: err, challenge })
    keep()
    throw err
  }

  // Shows a challenge that was opened (and keeps it for a reload).
  const show = (open: OpenChallenge, email: string, redirectUri?: string, extra: Partial<ChallengeState> = {}) => {
    pending = { open, email, redirectUri }
    const method = open.metadata.method as ChallengeState['method']
    const challenge: ChallengeState = {
      method,
      email,
      region: open.region.region,
      destination: maskEmail(email),
      attemptsLeft: attemptsLeft(open),
      resendAvailableAt: inSeconds(config.resendCooldownSeconds),
      ...extra,
    }
    store.dispatch({ type: 'challenge', challenge })
    keep()
    return challenge
  }

  // A sign-up that settled after its challenge was shown: a new user's code comes
  // from where the user now exists, or the UI learns that sign-up is unavailable.
  function follow(later: Promise<LateOutcome | null>, shown: number, email: string, redirectUri?: string) {
    later.then(
      (late) => {
        const current = snapshot()
        if (!late || shown !== generation || !current) return
        if (late.open) show(late.open, email, redirectUri, { signUpUnavailable: current.signUpUnavailable })
        else if (late.signUpUnavailable)
          store.dispatch({ type: 'challenge', challenge: { ...current, signUpUnavailable: true } })
        else ctx.report(late.error)
      },
      (err) => shown === generation && ctx.report(err),
    )
  }

  // Sends (again) from the best region; `from` is the region of the previous
  // challenge, skipped when `moved` (it just failed).
  function start(
    email: string,
    method: 'code' | 'link',
    redirectUri?: string,
    { from, moved, createAccount }: { from?: string; moved?: boolean; createAccount?: boolean } = {},
  ) {
    if (inFlight) return inFlight // a second click must not send a second email
    const shown = ++generation
    store.dispatch({ type: 'busy', status: 'sending' })
    const metadata = { method, redirectUri }
    const first: Promise<FirstChallenge> = createAccount
      ? openWithAccount(ctx, email, metadata)
      : openChallenge(ctx, email, metadata, { exclude: moved ? [from!] : [] }).then((open) => ({ open }))
    inFlight = first
      .then(
        ({ open, signUpUnavailable, later }) => {
          const to = open.region.region
          const challenge = show(open, email, redirectUri, {
            failover: from && from !== to ? { from, to } : undefined,
            signUpUnavailable,
          })
          events.emit(method === 'code' ? 'codeSent' : 'linkSent', challenge)
          if (later) follow(later, shown, email, redirectUri)
          return challenge
        },
        (err) => {
          // The backend's send throttle tells how long to wait: show it as the resend time.
          const current = snapshot()
          const wait = hasCode(err, 'RATE_LIMITED') && err.retryAfterSeconds
          return fail(err, current && wait ? { ...current, resendAvailableAt: inSeconds(wait) } : undefined)
        },
      )
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  return {
    async signIn(options: SignInOptions): Promise<ChallengeState> {
      const { method, redirectUri: given, createAccount } = options ?? {}
      const email = checkEmail(options?.email)
      if (method !== 'code' && method !== 'link') throw new TypeError("method must be 'code' or 'link'")
      let redirectUri: string | undefined
      if (method === 'link') {
        const location = (globalThis as { location?: Location }).location
        // "The current page": its URL without the fragment, query kept, so the person comes back to the page as it was.
        redirectUri = given ?? config.redirectUri ?? location?.href.split('#')[0]
        if (!/^https?:\/\//.test(`${redirectUri}`)) throw new TypeError('redirectUri must be an http(s) URL')
      }
      return start(email, method, redirectUri, { createAccount: createAccount === true })
    },

    async resend(): Promise<ChallengeState> {
      const current = snapshot()
      if (!pending || !current) throw noChallenge()
      const wait = Math.ceil((current.resendAvailableAt - config.now()) / 1000)
      if (wait > 0) throw new RegionlessError('RATE_LIMITED', 'Too soon to send again', { retryAfterSeconds: wait })
      return start(pending.email, current.method, pending.redirectUri, { from: pending.open.region.region })
    },

    async answer(code: string): Promise<Session> {
      if (typeof code !== 'string' || !code.trim()) throw new TypeError('code must be a non-empty string')
      const current = pending
      if (current?.open.metadata.method !== 'code') throw noChallenge()
      const from = current.open.region.region
      store.dispatch({ type: 'busy', status: 'verifying' })
      let outcome: Awaited<ReturnType<typeof answerChallenge>>
      try {
        outcome = await answerChallenge(ctx, current.open, normaliseCode(code), PERSIST_MS)
      } catch (err) {
        if (isOutageError(err)) {
          // The region died between sending the code and the answer: that code is
          // worthless elsewhere, so a new one comes from the next region.
          const moved = await start(current.email, 'code', undefined, { from, moved: true }).catch((error) => {
            pending = null
            return fail(error, null)
          })
          return fail(new RegionlessError('CHALLENGE_MOVED', `New code sent from ${moved.region}`, { cause: err }))
        }
        pending = null
        const exhausted = hasCode(err, 'NOT_AUTHORIZED') && snapshot()?.attemptsLeft === 1
        return fail(
          exhausted ? new RegionlessError('TOO_MANY_ATTEMPTS', 'Too many wrong codes', { cause: err }) : err,
          null,
        )
      }
      if ('next' in outcome) {
        pending = { ...current, open: outcome.next }
        const previous = snapshot()
        return fail(
          new RegionlessError('CODE_MISMATCH', 'Wrong code', { region: from }),
          previous && { ...previous, attemptsLeft: attemptsLeft(outcome.next) ?? previous.attemptsLeft },
        )
      }
      pending = null
      keep()
      return signedIn(recordFrom(outcome.tokens, from, current.open.username, current.email, config.now()))
    },

    reset() {
      generation++
      pending = null
      void record.clear()
    },

    /** Picks up a sign-in that was in progress before a reload. */
    async restore(): Promise<void> {
      const stored = await record.load()
      if (!stored || pending) return
      pending = stored.pending
      store.dispatch({ type: 'challenge', challenge: stored.state })
    },
  }
}
