import { createApiFetch } from './api-fetch.js'
import { createBridger } from './bridge.js'
import { answerChallenge, openChallenge } from './challenge.js'
import { createChallengeRecord } from './challenge-record.js'
import { createCognitoTransport } from './cognito.js'
import { type AuthClientConfig, resolveConfig } from './config.js'
import type { ClientContext } from './context.js'
import { isOutageError, RegionlessError, toRegionlessError } from './errors.js'
import { checkEmail } from './identity.js'
import { createLock } from './lock.js'
import { redeemLink } from './magic-link.js'
import type {
  PasskeyAutofillOptions,
  PasskeyFeatures,
  PasskeyPlugin,
  PasskeySignInOptions,
  PasskeySummary,
} from './passkey-plugin.js'
import { createRefresher } from './refresh.js'
import type { HealthMap } from './region-health.js'
import { createRegionRouter } from './region-router.js'
import { revoke } from './revoke.js'
import { createSessionKeeper } from './session-keeper.js'
import { freshTokens, isFresh, recordFrom, type SessionRecord, sessionOf } from './session-record.js'
import { createSignInFlows, type SignInOptions } from './sign-in.js'
import { createAccount, type SignUpOptions, type SignUpResult } from './sign-up.js'
import {
  type AuthEventName,
  type AuthEvents,
  type AuthState,
  type ChallengeState,
  createEmitter,
  createStore,
  initialState,
  type Session,
} from './state.js'
import { memoryStorage } from './storage.js'

/** The client returned by {@link createAuthClient}. */
export interface AuthClient {
  /** Creates the user (resolves also when it already exists). */
  signUp(options: SignUpOptions): Promise<SignUpResult>
  /**
   * With a passkey (`method: 'passkey'`, needs the `passkeys()` plugin): opens the
   * browser's passkey dialog for this account and resolves signed in.
   */
  signIn(options: PasskeySignInOptions): Promise<Session>
  /** Sends a code or a magic link from the best region. */
  signIn(options: SignInOptions): Promise<ChallengeState>
  /** Answers the code; rejects with `CODE_MISMATCH` (attempts left in the state) or `CHALLENGE_MOVED` after a failover. */
  answer(code: string): Promise<Session>
  /** Sends the code or link again once `challenge.resendAvailableAt` has passed. */
  resend(): Promise<ChallengeState>
  /** Abandons the sign-in in progress ("use another email"): the challenge and its error are cleared. */
  cancel(): void
  /** Signs in from a magic link in `url` (default: the current location). Resolves null when the URL holds no link. */
  completeMagicLink(url?: string): Promise<Session | null>
  /** The signed-in user, or null. */
  getSession(): Session | null
  /** Resolves once the stored session has been read. */
  ready(): Promise<void>
  subscribe(listener: () => void): () => void
  getSnapshot(): AuthState
  on<E extends AuthEventName>(event: E, handler: (payload: AuthEvents[E]) => void): () => void
  /**
   * Signs out here and in every tab, then revokes the session in every pool it
   * holds tokens for, bridged ones included (`global`: GlobalSignOut there).
   * Resolves once each pool answered or timed out (3 s) and a bridge under way
   * ended; a pool where revocation failed is reported to `error` listeners
   * with its region.
   */
  signOut(options?: { global?: boolean }): Promise<void>
  /**
   * A `fetch` for the product's API: relative paths go to the healthiest
   * region's `apiUrl` with the token, refresh on 401, failover for idempotent
   * requests. `createApi(client)` wraps it in ky.
   */
  fetchApi(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** True when the client has the `passkeys()` plugin and this browser supports WebAuthn. */
  passkeysAvailable(): boolean
  /** Registers a passkey for the signed-in user (the browser asks to create one). */
  addPasskey(options?: { name?: string }): Promise<PasskeySummary>
  /** The signed-in user's passkeys, newest first. */
  listPasskeys(): Promise<PasskeySummary[]>
  renamePasskey(id: string, name: string): Promise<PasskeySummary>
  deletePasskey(id: string): Promise<void>
  /**
   * Usernameless sign-in through the browser's autofill (conditional
   * mediation): resolves once the person picks a passkey in the email field's
   * suggestions. A second call aborts the first; so does `signal`.
   */
  signInWithPasskeyAutofill(options?: PasskeyAutofillOptions): Promise<Session>
  /** Region health as the client sees it (for diagnostics). */
  health(): HealthMap
  /** Stops timers and the cross-tab channel. */
  destroy(): void
}

/**
 * Creates a client. Nothing is read from `window` or storage until this is
 * called, and two clients never share state.
 *
 * @example
 * const config = await (await fetch('http://127.0.0.1:9229/_regionless/config')).json()
 * const client = createAuthClient({ ...config, storage: localStorageAdapter() })
 * await client.signIn({ email: 'ana@example.com', method: 'code' })
 * const session = await client.answer('123456')
 * const me = await (await client.fetchApi('me')).json()
 */
export function createAuthClient(input: AuthClientConfig): AuthClient {
  const config = resolveConfig(input)
  const { now, bridge } = config
  let destroyed = false
  // Work nobody awaits (moving or bridging the session, refreshes): its failures are
  // reported to `error` listeners, and after destroy() they end quietly (see `report`).
  const background = (work: Promise<unknown>) => {
    work.catch(ctx.report)
  }
  const storage = config.storage ?? memoryStorage()
  const store = createStore(initialState(config.homeRegion))
  const events = createEmitter()
  const call = createCognitoTransport(config.fetch, config.timeoutMs)
  // The probe: any Cognito answer, even a 400 for the missing token, proves the region is up.
  const router = createRegionRouter(
    config,
    storage,
    (region, signal) => call(region, 'GetUser', {}, { signal }),
    (from, to) => {
      store.dispatch({ type: 'region', region: to })
      events.emit('regionChanged', { from, to })
      background(moveSession(to))
    },
  )
  const sessions = createSessionKeeper(config, storage, store, events, (record) => refresher.schedule(record))
  const ctx: ClientContext = {
    config,
    call,
    router,
    store,
    events,
    sessions,
    withLock: createLock(storage, now),
    report: (error) => destroyed || events.emit('error', { error: toRegionlessError(error) }),
  }
  const bridger = createBridger(ctx)
  const refresher = createRefresher(ctx, (lost) => {
    const next = router.ranked().find((r) => r !== lost)
    if (next) background(moveSession(next))
  })
  const current = () => sessionOf(sessions.current())

  // Use `target`'s tokens when the session has them; bridge there when allowed
  // (never with replicas: one pool, one set of tokens).
  async function moveSession(target: string): Promise<void> {
    const record = sessions.current()
    if (!record || record.region === target) return
    if (!isFresh(record.byRegion[target], now()) && bridge !== 'off') await bridger.bridge(target)
    const latest = sessions.current()
    if (latest?.byRegion[target]) await sessions.save({ ...latest, region: target })
  }

  async function signedIn(record: SessionRecord): Promise<Session> {
    await sessions.save(record, 'signed-in')
    const session = current()!
    events.emit('signedIn', { session })
    if (bridge === 'eager') background(bridger.bridgeAll())
    return session
  }

  const flows = createSignInFlows(ctx, signedIn, createChallengeRecord(config, storage))
  const loading = Promise.all([
    router.load().then(
      () => store.dispatch({ type: 'region', region: router.ranked()[0] ?? config.homeRegion }),
      () => {},
    ),
    sessions.load().then(() => (sessions.current() ? undefined : flows.restore())),
  ])
  // Every action first waits for the stored session and health to be read.
  const later =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      await loading
      return fn(...args)
    }

  // Whose tokens `region`'s API gets: its own pool's, else the active ones (every API accepts every pool).
  const ownerFor = (region: string) => {
    const record = sessions.current()
    return record?.byRegion[region] ? region : (record?.region ?? region)
  }
  // A region's own fresh tokens first, else any pool's fresh tokens (every API
  // accepts every pool: a refresh stuck in a black-holed pool must not hold the
  // call up), else a refresh, waited for.
  const tokensFor = later(async (region: string) => {
    const owner = ownerFor(region)
    const record = sessions.current()
    const tokens = record?.byRegion[owner]
    if (!record || !tokens) return null
    if (isFresh(tokens, now(), 5_000)) return tokens
    const other = freshTokens(record.byRegion, record.region, now(), 5_000)
    if (!other) return refresher.refreshNow(owner, tokens)
    background(refresher.refreshNow(owner, tokens))
    return other
  })

  const fetchApi = createApiFetch(ctx, {
    tokensFor,
    refresh: (region, stale) => refresher.refreshNow(ownerFor(region), stale),
  })
  // The plugin brings the WebAuthn code; the core only lends it the flows every method shares.
  const passkeys = (input.passkeys as PasskeyPlugin | undefined)?.attach({
    ctx,
    openChallenge,
    answerChallenge,
    recordFrom,
    signedIn,
    fetchApi,
    resetFlows: flows.reset,
    RegionlessError,
    isOutageError,
  })
  const withPasskeys = <K extends Exclude<keyof PasskeyFeatures, 'available'>>(name: K) =>
    later(async (...args: unknown[]) => {
      if (!passkeys) throw new RegionlessError('PASSKEYS_NOT_CONFIGURED', 'createAuthClient was given no passkeys()')
      return (passkeys[name] as (...a: unknown[]) => unknown)(...args)
    }) as unknown as PasskeyFeatures[K]
  const passkeySignIn = withPasskeys('signIn')

  return {
    signUp: later(async (options: SignUpOptions) => {
      const email = checkEmail(options?.email)
      store.dispatch({ type: 'busy', status: 'signing-up' })
      try {
        const { userId, region } = await createAccount(ctx, email)
        store.dispatch({ type: 'settled' })
        return { userId, region }
      } catch (err) {
        store.dispatch({ type: 'failed', error: toRegionlessError(err) })
        throw err
      }
    }),
    signIn: ((options: SignInOptions | PasskeySignInOptions) =>
      options?.method === 'passkey' ? passkeySignIn(options) : later(flows.signIn)(options)) as AuthClient['signIn'],
    answer: later(flows.answer),
    resend: later(flows.resend),
    cancel() {
      flows.reset()
      store.dispatch({ type: 'cancelled' })
    },
    completeMagicLink: later(async (url?: string) => {
      store.dispatch({ type: 'busy', status: 'verifying' })
      try {
        const redeemed = await redeemLink(ctx, url)
        if (!redeemed) {
          store.dispatch({ type: 'session', session: current() })
          return null
        }
        flows.reset()
        return await signedIn(redeemed)
      } catch (err) {
        store.dispatch({ type: 'failed', error: toRegionlessError(err) })
        throw err
      }
    }),
    getSession: current,
    ready: async () => {
      await loading
    },
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    on(event, handler) {
      const off = events.on(event, handler)
      // Like supabase's onAuthStateChange: a late listener still learns the initial session.
      if (event === 'initialSession' && store.getSnapshot().status !== 'loading') {
        const session = current()
        queueMicrotask(() => (handler as (p: AuthEvents['initialSession']) => void)({ session }))
      }
      return off
    },
    signOut: later(async ({ global }: { global?: boolean } = {}) => {
      const record = sessions.current()
      flows.reset()
      await sessions.clear('user')
      // Every pool where the session holds tokens (bridged ones too), in parallel, even a region
      // the router thinks down (it may answer again); a failure is reported, never thrown. Bridges
      // under way end first: the bridger revokes what they obtain after the sign-out.
      await Promise.all([
        bridger.settled(),
        ...Object.entries(record?.byRegion ?? {})
          .filter(([, t]) => global || t.refreshToken)
          .map(([name, t]) => revoke(ctx, name, t, global).catch(ctx.report)),
      ])
    }),
    fetchApi,
    passkeysAvailable: () => !!passkeys?.available(),
    addPasskey: withPasskeys('add'),
    listPasskeys: withPasskeys('list'),
    renamePasskey: withPasskeys('rename'),
    deletePasskey: withPasskeys('remove'),
    signInWithPasskeyAutofill: withPasskeys('autofill'),
    health: router.health,
    destroy() {
      destroyed = true
      refresher.stop()
      sessions.close()
    },
  }
}
