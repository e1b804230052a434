// Types only: the core names what a passkeys plugin is and what it is given,
// so `createAuthClient` can take one without importing any WebAuthn code. An
// app that never imports `@regionless/client/passkeys` ships none of it.
import type { answerChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import type { isOutageError, RegionlessError } from './errors.js'
import type { PasskeySummary } from './passkey-summary.js'
import type { recordFrom, SessionRecord } from './session-record.js'
import type { Session } from './state.js'

export type { PasskeySummary } from './passkey-summary.js'

/** Options of `client.signIn` with a passkey, the account named first. */
export interface PasskeySignInOptions {
  email: string
  method: 'passkey'
}

/** Options of `client.signInWithPasskeyAutofill`. */
export interface PasskeyAutofillOptions {
  /** Ends the wait for the browser's autofill (the form unmounts, the user picks another method). */
  signal?: AbortSignal
}

/** What the core hands a plugin: its context and the flows it shares with code and link sign-in. */
export interface PasskeyHost {
  ctx: ClientContext
  openChallenge: typeof openChallenge
  answerChallenge: typeof answerChallenge
  recordFrom: typeof recordFrom
  /** Saves the session and tells everyone, like any other sign-in. */
  signedIn(record: SessionRecord): Promise<Session>
  /** The client's `fetchApi` (token, refresh on 401, routing). */
  fetchApi(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Ends a code or link sign-in in progress: a passkey sign-in replaces it. */
  resetFlows(): void
  // Given rather than imported, so the passkeys entry carries no second copy of the core.
  RegionlessError: typeof RegionlessError
  isOutageError: typeof isOutageError
}

/** The passkey features of one client, made by a plugin for it. */
export interface PasskeyFeatures {
  available(): boolean
  add(options?: { name?: string }): Promise<PasskeySummary>
  list(): Promise<PasskeySummary[]>
  rename(id: string, name: string): Promise<PasskeySummary>
  remove(id: string): Promise<void>
  signIn(options: PasskeySignInOptions): Promise<Session>
  autofill(options?: PasskeyAutofillOptions): Promise<Session>
}

/** What `passkeys()` from `@regionless/client/passkeys` returns; pass it as `createAuthClient({ passkeys })`. */
export interface PasskeyPlugin {
  attach(host: PasskeyHost): PasskeyFeatures
}
