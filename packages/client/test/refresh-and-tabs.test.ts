import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthClient, AuthEvents } from '../src/index.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()

const next = <E extends keyof AuthEvents>(client: AuthClient, event: E) =>
  new Promise<AuthEvents[E]>((resolve) => {
    const off = client.on(event, (payload) => {
      off()
      resolve(payload)
    })
  })

async function signIn(client: AuthClient, cognito: ReturnType<typeof world>['cognito']) {
  await client.signIn({ email: EMAIL, method: 'code' })
  return client.answer(cognito.lastCode()!)
}

const refreshes = (cognito: ReturnType<typeof world>['cognito']) => cognito.ops('GetTokensFromRefreshToken')

describe('token refresh', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('refreshes before expiry with GetTokensFromRefreshToken at the issuing pool, keeping the refresh token', async () => {
    const { client, cognito } = world(server, { expiresIn: 600, config: { refreshMarginSeconds: 120 } })
    cognito.addUser(EMAIL, USERNAME)
    const first = await signIn(client, cognito)
    await vi.advanceTimersByTimeAsync(479_000)
    expect(refreshes(cognito)).toHaveLength(0)
    const refreshed = next(client, 'tokenRefreshed')
    await vi.advanceTimersByTimeAsync(1_000)
    const { session } = await refreshed
    const [call] = refreshes(cognito)
    expect(call).toMatchObject({
      region: 'eu-west-1',
      body: { ClientId: 'client-eu-west-1', RefreshToken: first.tokens.refreshToken },
    })
    expect(session.tokens.accessToken).not.toBe(first.tokens.accessToken)
    expect(session.tokens.refreshToken).toBe(first.tokens.refreshToken)
    expect(client.getSession()?.tokens.expiresAt).toBe(Date.now() + 600_000)
  })

  it('lets one tab refresh while the other reads the result (storage lease)', async () => {
    const { client: tabA, cognito, make } = world(server, { expiresIn: 600 })
    cognito.addUser(EMAIL, USERNAME)
    const tabB = make()
    await tabB.ready()
    const seenByB = next(tabB, 'signedIn')
    await signIn(tabA, cognito)
    expect((await seenByB).session.userId).toBe(USERNAME)
    const bothDone = Promise.all([next(tabA, 'tokenRefreshed'), next(tabB, 'tokenRefreshed')])
    await vi.advanceTimersByTimeAsync(481_000)
    await bothDone
    expect(refreshes(cognito)).toHaveLength(1)
    expect(tabB.getSession()?.tokens.accessToken).toBe(tabA.getSession()?.tokens.accessToken)
  })

  it('uses Web Locks when the browser has them', async () => {
    const names: string[] = []
    vi.stubGlobal('navigator', {
      locks: {
        request(name: string, fn: () => Promise<unknown>) {
          names.push(name)
          return fn()
        },
      },
    })
    const { client, cognito } = world(server, { expiresIn: 600, config: { storageKey: 'app' } })
    cognito.addUser(EMAIL, USERNAME)
    await signIn(client, cognito)
    const refreshed = next(client, 'tokenRefreshed')
    await vi.advanceTimersByTimeAsync(481_000)
    await refreshed
    expect(names).toEqual(['app.refresh'])
  })

  it('keeps the tokens and retries slowly while the issuing region is down', async () => {
    const { client, cognito } = world(server, { expiresIn: 600 })
    cognito.addUser(EMAIL, USERNAME)
    const first = await signIn(client, cognito)
    cognito.setFault('eu-west-1', 'down')
    await vi.advanceTimersByTimeAsync(481_000 + 60_000)
    // One attempt, then one every 15 s at most: no tight loop.
    expect(refreshes(cognito).length).toBeGreaterThan(0)
    expect(refreshes(cognito).length).toBeLessThanOrEqual(5)
    expect(client.getSession()?.tokens.accessToken).toBe(first.tokens.accessToken)
    cognito.setFault('eu-west-1', 'healthy')
    const refreshed = next(client, 'tokenRefreshed')
    await vi.advanceTimersByTimeAsync(30_000)
    expect((await refreshed).session.tokens.accessToken).not.toBe(first.tokens.accessToken)
  })

  it('signs out when the refresh token is revoked', async () => {
    const { client, cognito } = world(server, { expiresIn: 600 })
    cognito.addUser(EMAIL, USERNAME)
    await signIn(client, cognito)
    cognito.revokeRefreshTokens()
    const signedOut = next(client, 'signedOut')
    const errors = vi.fn()
    client.on('error', errors)
    await vi.advanceTimersByTimeAsync(481_000)
    expect(await signedOut).toEqual({ reason: 'revoked' })
    expect(client.getSession()).toBeNull()
    expect(errors.mock.calls[0]?.[0].error.code).toBe('NOT_AUTHORIZED')
  })
})

describe('tabs and sign-out', () => {
  it('restores the session on reload and tells a late listener the initial session', async () => {
    const { client, cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await signIn(client, cognito)
    const reloaded = make()
    const initial = await next(reloaded, 'initialSession')
    expect(initial.session?.userId).toBe(USERNAME)
    const late = await next(reloaded, 'initialSession')
    expect(late.session?.userId).toBe(USERNAME)
    expect(reloaded.getSnapshot().status).toBe('signed-in')
  })

  it('signs out in every tab, revokes the refresh token and clears storage', async () => {
    const { client: tabA, cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const session = await signIn(tabA, cognito)
    const tabB = make()
    await tabB.ready()
    expect(tabB.getSession()?.userId).toBe(USERNAME)
    const outInB = next(tabB, 'signedOut')
    await tabA.signOut()
    expect(await outInB).toEqual({ reason: 'other-tab' })
    expect(tabB.getSnapshot().status).toBe('signed-out')
    expect(cognito.ops('RevokeToken')[0]?.body).toEqual({
      Token: session.tokens.refreshToken,
      ClientId: 'client-eu-west-1',
    })
    const reloaded = make()
    await reloaded.ready()
    expect(reloaded.getSession()).toBeNull()
  })

  it('signs out locally even when every region is down', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await signIn(client, cognito)
    cognito.setFault('eu-west-1', 'down')
    cognito.setFault('us-east-1', 'down')
    await client.signOut({ global: true })
    expect(client.getSession()).toBeNull()
  })

  it('keeps two clients with different storage keys apart', async () => {
    const { client, cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const otherApp = make({ storageKey: 'other-app' })
    await otherApp.ready()
    await signIn(client, cognito)
    expect(otherApp.getSession()).toBeNull()
  })
})
