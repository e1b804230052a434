import type { KyInstance } from 'ky'
import { createApi } from './api.js'
import { createBridger } from './bridge.js'
import { createCognitoTransport } from './cognito.js'
import { type AuthClientConfig, resolveConfig } from './config.js'
import type { ClientContext } from './context.js'
import { isRegionlessError, type RegionlessError } from './errors.js'
import { createLock } from './lock.js'
import { redeemLink } from './magic-link.js'
import { createRefresher } from './refresh.js'
import type { HealthMap } from './region-health.js'
import { createRegionRouter } from './region-router.js'
import { createSessionKeeper } from './session-keeper.js'
import { isFresh, type SessionRecord, sessionOf, tokensFrom, userFromIdToken } from './session-record.js'
import { createSignInFlows, type SignInOptions } from './sign-in.js'
import { type SignUpOptions, type SignUpResult, signUp } from './sign-up.js'
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
  /** Sends a code or a magic link from the best region. */
  signIn(options: SignInOptions): Promise<ChallengeState>
  /** Answers the code; rejects with `CODE_MISMATCH` (attempts left in the state) or `CHALLENGE_MOVED` after a failover. */
  answer(code: string): Promise<Session>
  /** Sends the code or link again once `challenge.resendAvailableAt` has passed. */
  resend(): Promise<ChallengeState>
  /** Signs in from a magic link in `url` (default: the current location). Resolves null when the URL holds no link. */
  completeMagicLink(url?: string): Promise<Session | null>
  /** The signed-in user, or null. */
  getSession(): Session | null
  /** Resolves once the stored session has been read. */
  ready(): Promise<void>
  subscribe(listener: () => void): () => void
  getSnapshot(): AuthState
  on<E extends AuthEventName>(event: E, handler: (payload: AuthEvents[E]) => void): () => void
  /** Signs out here and in every tab; revokes refresh tokens best-effort (`global`: GlobalSignOut in every pool). */
  signOut(options?: { global?: boolean }): Promise<void>
  /** A ky instance for the product's API: token attached, healthiest region, refresh on 401, failover. */
  api: KyInstance
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
 * const me = await client.api.get('me').json()
 */
export function createAuthClient(input: AuthClientConfig): AuthClient {
  const config = resolveConfig(input)
  const storage = config.storage ?? memoryStorage()
  const store = createStore(initialState(config.homeRegion))
  const events = createEmitter()
  const call = createCognitoTransport({ fetch: config.fetch, timeoutMs: config.timeoutMs })
  const ctx = {
    config,
    call,
    store,
    events,
    withLock: createLock({ storage, now: config.now }),
    report(error: RegionlessError) {
      events.emit('error', { error })
    },
  } as ClientContext
  // A probe: any well-formed Cognito answer (here a 400 for a missing token) proves the region is up.
  ctx.router = createRegionRouter(
    config,
    storage,
    (region) =>
      call(region, 'GetUser', {}, { timeoutMs: Math.min(config.timeoutMs, 3_000) }).catch((err) => {
        if (!isRegionlessError(err) || ['NETWORK', 'TIMEOUT', 'REGION_UNAVAILABLE'].includes(err.code)) throw err
      }),
    (from, to) => {
      store.dispatch({ type: 'region', region: to })
      events.emit('regionChanged', { from, to })
      void moveSession(to)
    },
  )
  ctx.sessions = createSessionKeeper(config, storage, store, events)
  const bridger = createBridger(ctx)
  const refresher = createRefresher(ctx, (lost) => {
    const next = ctx.router.ranked().find((r) => r !== lost)
    if (next) void moveSession(next)
  })
  ctx.sessions.onChange((record) => refresher.schedule(record))

  // Use `target`'s tokens when the session has them; bridge there when allowed.
  async function moveSession(target: string): Promise<void> {
    const record = ctx.sessions.current()
    if (!record || record.region === target || config.topology === 'replicas') return
    let tokens = record.byRegion[target]
    if (!isFresh(tokens, config.now()) && config.bridge !== 'off') tokens = (await bridger.bridge(target)) ?? undefined
    const latest = ctx.sessions.current()
    if (latest && tokens && latest.byRegion[target]) await ctx.sessions.save({ ...latest, region: target }, 'updated')
  }

  async function signedIn(record: SessionRecord): Promise<Session> {
    await ctx.sessions.save(record, 'signed-in')
    const session = sessionOf(record)!
    events.emit('signedIn', { session })
    if (config.bridge === 'eager') void bridger.bridgeAll()
    return session
  }

  const flows = createSignInFlows(ctx, signedIn)
  const loading = Promise.all([ctx.router.load().catch(() => undefined), ctx.sessions.load()]).then(() => undefined)
  const ready = () => loading

  async function tokensFor(region: string) {
    await loading
    const record = ctx.sessions.current()
    if (!record) return null
    const own = record.byRegion[region]
    if (own) return isFresh(own, config.now(), 5_000) ? own : ((await refresher.refreshNow(region, own)) ?? null)
    const active = record.byRegion[record.region]
    if (!active) return null
    return isFresh(active, config.now(), 5_000) ? active : ((await refresher.refreshNow(record.region, active)) ?? null)
  }

  return {
    signUp: async (options) => {
      await loading
      return signUp(ctx, options)
    },
    signIn: async (options) => {
      await loading
      return flows.signIn(options)
    },
    answer: async (code) => {
      await loading
      return flows.answer(code)
    },
    resend: async () => {
      await loading
      return flows.resend()
    },
    async completeMagicLink(url) {
      await loading
      store.dispatch({ type: 'busy', status: 'verifying' })
      try {
        const redeemed = await redeemLink(ctx, url)
        if (!redeemed) {
          store.dispatch({
            type: 'session',
            session: ctx.sessions.current() ? sessionOf(ctx.sessions.current()) : null,
          })
          return null
        }
        flows.reset()
        const tokens = tokensFrom(redeemed.result, config.now())
        const user = userFromIdToken(tokens.idToken, redeemed.username, '')
        return await signedIn({ ...user, region: redeemed.region, byRegion: { [redeemed.region]: tokens } })
      } catch (err) {
        if (isRegionlessError(err)) store.dispatch({ type: 'failed', error: err })
        else store.dispatch({ type: 'session', session: sessionOf(ctx.sessions.current()) })
        throw err
      }
    },
    getSession: () => sessionOf(ctx.sessions.current()),
    ready,
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    on(event, handler) {
      const off = events.on(event, handler)
      // Like supabase's onAuthStateChange: a late listener still learns the initial session.
      if (event === 'initialSession' && store.getSnapshot().status !== 'loading') {
        const session = sessionOf(ctx.sessions.current())
        queueMicrotask(() => (handler as (p: AuthEvents['initialSession']) => void)({ session }))
      }
      return off
    },
    async signOut(options = {}) {
      await loading
      const record = ctx.sessions.current()
      flows.reset()
      await ctx.sessions.clear('user')
      if (record) await revokeAll(record, options.global === true)
    },
    api: createApi(ctx, {
      tokensFor,
      refresh: (region, stale) => {
        const record = ctx.sessions.current()
        const owner = record?.byRegion[region] ? region : record?.region
        return owner ? refresher.refreshNow(owner, stale) : Promise.resolve(null)
      },
    }),
    health: () => ctx.router.health(),
    destroy() {
      refresher.stop()
      ctx.sessions.close()
    },
  }

  // Best effort, in parallel, short time-outs, regions known down skipped: signing out never waits on an outage.
  async function revokeAll(record: SessionRecord, global: boolean): Promise<void> {
    const up = new Set(ctx.router.ranked())
    const timeoutMs = Math.min(config.timeoutMs, 3_000)
    await Promise.allSettled(
      Object.entries(record.byRegion)
        .filter(([region]) => up.has(region))
        .map(([name, tokens]) => {
          const region = ctx.router.region(name)
          if (global) return call(region, 'GlobalSignOut', { AccessToken: tokens.accessToken }, { timeoutMs })
          if (!tokens.refreshToken) return Promise.resolve()
          return call(region, 'RevokeToken', { Token: tokens.refreshToken, ClientId: region.clientId }, { timeoutMs })
        }),
    )
  }
}
