import type { RegionlessError } from './errors.js'
import type { PasskeySummary } from './passkey-summary.js'

/** Tokens from one pool. `expiresAt` is in ms since epoch. */
export interface Tokens {
  idToken: string
  accessToken: string
  refreshToken?: string
  expiresAt: number
}

/** The signed-in user. `userId` is identical in every region. */
export interface Session {
  userId: string
  email: string
  /** Region whose tokens are in use. */
  region: string
  tokens: Tokens
}

/** A sign-in waiting for the user (code typed, or link clicked). */
export interface ChallengeState {
  method: 'code' | 'link'
  email: string
  region: string
  /** The typed address, masked (`a***@e***.com`): where the message went, as far as the client may know. */
  destination?: string
  /** Wrong codes still allowed before the challenge ends. */
  attemptsLeft?: number
  /** When `resend()` is allowed again (ms since epoch). */
  resendAvailableAt: number
  /** Set when the region failed mid sign-in and a new code or link came from another region. */
  failover?: { from: string; to: string }
  /**
   * `signIn({ createAccount: true })` could not create accounts right now
   * (replicas: the primary is unavailable), yet signed in where it could, so an
   * existing user has a code. Shown to everyone alike: it must not tell who has an account.
   */
  signUpUnavailable?: boolean
}

export type AuthStatus =
  | 'loading'
  | 'signed-out'
  | 'signing-up'
  | 'sending'
  | 'awaiting-code'
  | 'awaiting-link'
  /** The browser's passkey dialog is open (username-first sign-in, or adding a passkey). */
  | 'waiting-for-passkey'
  | 'verifying'
  | 'signed-in'

/** Everything a UI renders from. A new object on each change, the same object otherwise. */
export interface AuthState {
  status: AuthStatus
  session: Session | null
  challenge: ChallengeState | null
  /** Region the client prefers right now. */
  region: string
  /** The last error of a user action; cleared by the next action. */
  error: RegionlessError | null
}

export type AuthAction =
  | { type: 'loaded'; session: Session | null }
  | { type: 'busy'; status: 'signing-up' | 'sending' | 'waiting-for-passkey' | 'verifying' }
  /** A call that changes nothing shown ended (a bare sign-up): back to the resting status. */
  | { type: 'settled' }
  | { type: 'challenge'; challenge: ChallengeState }
  | { type: 'signed-in'; session: Session }
  | { type: 'session'; session: Session | null }
  | { type: 'signed-out' }
  | { type: 'cancelled' }
  | { type: 'failed'; error: RegionlessError; challenge?: ChallengeState | null }
  | { type: 'region'; region: string }

export const initialState = (region: string): AuthState => ({
  status: 'loading',
  session: null,
  challenge: null,
  region,
  error: null,
})

const resting = (state: AuthState): AuthStatus => {
  if (state.session) return 'signed-in'
  if (state.challenge) return state.challenge.method === 'code' ? 'awaiting-code' : 'awaiting-link'
  return 'signed-out'
}

// What an action resets besides the fields it carries (copied as they are).
const RESETS: Partial<Record<AuthAction['type'], Partial<AuthState>>> = {
  busy: { error: null },
  challenge: { error: null },
  'signed-in': { challenge: null, error: null },
  'signed-out': { session: null, challenge: null, error: null },
  cancelled: { challenge: null, error: null },
}

const BUSY: AuthStatus[] = ['signing-up', 'sending', 'waiting-for-passkey', 'verifying']

/** The only place state changes. Each action sets some fields; the status follows from them. */
export function reduce(state: AuthState, action: AuthAction): AuthState {
  const { type, ...fields } = action
  if (type === 'region' ? action.region === state.region : type === 'session' && action.session === state.session)
    return state
  const next: AuthState = { ...state, ...RESETS[type], ...fields }
  // `failed` without a challenge keeps the one shown.
  if (next.challenge === undefined) next.challenge = state.challenge
  if (type === 'region' || type === 'busy') return next
  // A new challenge is shown even over a session (signing in again); a session
  // update from another tab does not interrupt a send or a verification.
  const busy = type === 'session' && BUSY.includes(state.status)
  next.status = busy ? state.status : resting(type === 'challenge' ? { ...next, session: null } : next)
  return next
}

/** Payloads of the typed events of {@link AuthClient.on}. */
export interface AuthEvents {
  /** Once the stored session has been read; a late listener gets it at once. */
  initialSession: { session: Session | null }
  signedIn: { session: Session }
  codeSent: ChallengeState
  linkSent: ChallengeState
  regionChanged: { from: string; to: string }
  /** New tokens for `region`: a refresh, or a session bridged into that pool. */
  tokenRefreshed: { session: Session; region: string }
  signedOut: { reason: 'user' | 'other-tab' | 'revoked' }
  error: { error: RegionlessError }
  /** A passkey of the signed-in user was added, renamed or removed through this client. */
  passkeysChanged: { change: 'added' | 'renamed' | 'removed'; id: string; passkey?: PasskeySummary }
}

export type AuthEventName = keyof AuthEvents

/** A tiny typed emitter; a throwing handler does not stop the others. */
export function createEmitter() {
  const handlers = new Map<AuthEventName, Set<(payload: never) => void>>()
  return {
    on<E extends AuthEventName>(event: E, handler: (payload: AuthEvents[E]) => void): () => void {
      const set = handlers.get(event) ?? new Set()
      handlers.set(event, set)
      set.add(handler as (payload: never) => void)
      return () => {
        set.delete(handler as (payload: never) => void)
      }
    },
    emit<E extends AuthEventName>(event: E, payload: AuthEvents[E]): void {
      for (const handler of [...(handlers.get(event) ?? [])]) {
        try {
          ;(handler as (p: AuthEvents[E]) => void)(payload)
        } catch (err) {
          // Report like an event listener would, without breaking the emitter.
          ;((globalThis as { reportError?: (e: unknown) => void }).reportError ?? console.error)(err)
        }
      }
    },
  }
}

/** A store over {@link reduce}: `subscribe` and `getSnapshot` fit React's `useSyncExternalStore`. */
export function createStore(initial: AuthState) {
  let state = initial
  const listeners = new Set<() => void>()
  return {
    getSnapshot: () => state,
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    dispatch(action: AuthAction): void {
      const next = reduce(state, action)
      if (next === state) return
      state = next
      for (const listener of [...listeners]) listener()
    },
  }
}
