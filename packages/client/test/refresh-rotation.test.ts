// Refresh-token rotation (issue 15): the client refreshes with GetTokensFromRefreshToken, keeps the
// refresh token each answer carries, falls back to REFRESH_TOKEN_AUTH where the operation is
// unknown, and never signs a user out because two tabs refreshed at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveConfig } from '../src/config.js'
import { type AuthClient, type AuthEvents, memoryStorage, type StorageAdapter } from '../src/index.js'
import { createSessionKeeper } from '../src/session-keeper.js'
import { createEmitter, createStore, initialState } from '../src/state.js'
import { regionsFor } from './helpers/fake-cognito.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()
type Cognito = ReturnType<typeof world>['cognito']

async function signIn(client: AuthClient, cognito: Cognito) {
  await client.signIn({ email: EMAIL, method: 'code' })
  return client.answer(cognito.lastCode()!)
}

/** Sign-outs and background errors of these clients, as they happen: a rotation must cause neither. */
function watch(...clients: AuthClient[]) {
  const seen: string[] = []
  for (const client of clients) {
    client.on('signedOut', ({ reason }) => seen.push(`signedOut ${reason}`))
    client.on('error', ({ error }) => seen.push(`error ${error.code}`))
  }
  return seen
}

const storedRecord = async (storage: StorageAdapter, key = 'regionless.client-eu-west-1.session') =>
  JSON.parse((await storage.getItem(key)) ?? 'null') as {
    byRegion: Record<string, { refreshToken?: string; accessToken: string }>
  } | null

const rotations = (cognito: Cognito, region?: string) => cognito.ops('GetTokensFromRefreshToken', region)

// Tokens live 600 s and are refreshed 120 s before expiry: a refresh is due 480 s after sign-in.
const REFRESH_DUE_MS = 481_000

describe('refresh-token rotation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('stores the new refresh token a refresh answers, and the next refresh sends it', async () => {
    const storage = memoryStorage()
    const { client, cognito, make } = world(server, { expiresIn: 600, config: { storage } })
    cognito.setRotation({ graceSeconds: 0 })
    cognito.addUser(EMAIL, USERNAME)
    const first = await signIn(client, cognito)
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    const second = client.getSession()!.tokens
    expect(rotations(cognito)[0]?.body).toEqual({
      ClientId: 'client-eu-west-1',
      RefreshToken: first.tokens.refreshToken,
    })
    expect(second.refreshToken).toMatch(/^rt-/)
    expect(second.refreshToken).not.toBe(first.tokens.refreshToken)
    expect((await storedRecord(storage))?.byRegion['eu-west-1']?.refreshToken).toBe(second.refreshToken)
    expect(cognito.refreshTokenValid('eu-west-1', first.tokens.refreshToken)).toBe(false)
    // A reload reads the rotated token, and the next refresh uses it.
    const reloaded = make()
    await reloaded.ready()
    expect(reloaded.getSession()?.tokens.refreshToken).toBe(second.refreshToken)
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    expect(rotations(cognito).map((c) => c.body.RefreshToken)).toEqual([first.tokens.refreshToken, second.refreshToken])
    expect(client.getSession()?.tokens.refreshToken).not.toBe(second.refreshToken)
    expect(cognito.ops('InitiateAuth').filter((c) => c.body.AuthFlow === 'REFRESH_TOKEN_AUTH')).toEqual([])
  })

  it('keeps the refresh token when rotation is off (the answer has none)', async () => {
    const { client, cognito } = world(server, { expiresIn: 600 })
    cognito.addUser(EMAIL, USERNAME)
    const first = await signIn(client, cognito)
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    expect(rotations(cognito)).toHaveLength(1)
    expect(client.getSession()?.tokens.accessToken).not.toBe(first.tokens.accessToken)
    expect(client.getSession()?.tokens.refreshToken).toBe(first.tokens.refreshToken)
  })

  it('falls back to REFRESH_TOKEN_AUTH where GetTokensFromRefreshToken is unknown, and remembers it per region', async () => {
    const storage = memoryStorage()
    const { client, cognito } = world(server, { expiresIn: 600, config: { storage, bridge: 'eager' } })
    const tokenRegions = async () => Object.keys((await storedRecord(storage))?.byRegion ?? {}).sort()
    cognito.addUser(EMAIL, USERNAME)
    cognito.setLegacy('eu-west-1')
    const errors = watch(client)
    const first = await signIn(client, cognito)
    await vi.waitFor(async () => expect(await tokenRegions()).toEqual(['eu-west-1', 'us-east-1']))
    const legacyRefreshes = () =>
      cognito.ops('InitiateAuth', 'eu-west-1').filter((c) => c.body.AuthFlow === 'REFRESH_TOKEN_AUTH')
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    expect(rotations(cognito, 'eu-west-1')).toHaveLength(1)
    expect(legacyRefreshes().map((c) => c.body.AuthParameters)).toEqual([{ REFRESH_TOKEN: first.tokens.refreshToken }])
    expect(client.getSession()?.tokens.accessToken).not.toBe(first.tokens.accessToken)
    // The next refresh goes straight to REFRESH_TOKEN_AUTH there; the peer still uses the new operation.
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    expect(rotations(cognito, 'eu-west-1')).toHaveLength(1)
    expect(legacyRefreshes()).toHaveLength(2)
    expect(rotations(cognito, 'us-east-1')).toHaveLength(2)
    expect(errors).toEqual([])
  })

  it('two tabs due at once: one rotation under the cross-tab lock, the other tab reads it', async () => {
    const storage = memoryStorage()
    const { client: tabA, cognito, make } = world(server, { expiresIn: 600, config: { storage } })
    cognito.setRotation({ graceSeconds: 0 })
    cognito.addUser(EMAIL, USERNAME)
    const tabB = make()
    await tabB.ready()
    const seen = watch(tabA, tabB)
    const first = await signIn(tabA, cognito)
    await vi.waitFor(() => expect(tabB.getSession()?.userId).toBe(USERNAME))
    for (let round = 1; round <= 2; round++) {
      await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
      expect(rotations(cognito)).toHaveLength(round)
      const stored = (await storedRecord(storage))?.byRegion['eu-west-1']
      await vi.waitFor(() => expect(tabB.getSession()?.tokens).toEqual(tabA.getSession()?.tokens))
      expect(tabA.getSession()?.tokens.refreshToken).toBe(stored?.refreshToken)
      expect(cognito.refreshTokenValid('eu-west-1', stored?.refreshToken)).toBe(true)
    }
    expect(cognito.refreshTokenValid('eu-west-1', first.tokens.refreshToken)).toBe(false)
    expect(seen).toEqual([])
  })

  // Web Locks exist in every current browser; without them the lock is a lease in storage, taken
  // over once it expires (10 s): a refresh slower than that lets a second tab send the same
  // refresh token while the first call is still out.
  it.each([
    { graceSeconds: 0, refused: true },
    { graceSeconds: 30, refused: false },
  ])(
    'a second tab sends the same refresh token while the first refresh is out (grace $graceSeconds s): nobody is signed out',
    async ({ graceSeconds, refused }) => {
      const storage = memoryStorage()
      const { client: tabA, cognito, make } = world(server, { expiresIn: 600, config: { storage, timeoutMs: 30_000 } })
      cognito.setRotation({ graceSeconds })
      cognito.addUser(EMAIL, USERNAME)
      const tabB = make()
      await tabB.ready()
      const seen = watch(tabA, tabB)
      const first = await signIn(tabA, cognito)
      await vi.waitFor(() => expect(tabB.getSession()?.userId).toBe(USERNAME))
      // One tab's refresh is held past the lease; the other takes the lease over and sends the same
      // token. The first answer is stored before the second is given.
      await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS - 2_000)
      cognito.hold('GetTokensFromRefreshToken')
      await vi.advanceTimersByTimeAsync(2_000)
      expect(cognito.heldCount()).toBe(1)
      await vi.advanceTimersByTimeAsync(10_100)
      expect(cognito.heldCount()).toBe(2)
      expect(rotations(cognito).map((c) => c.body.RefreshToken)).toEqual([
        first.tokens.refreshToken,
        first.tokens.refreshToken,
      ])
      cognito.releaseNext()
      await vi.waitFor(async () =>
        expect((await storedRecord(storage))?.byRegion['eu-west-1']?.refreshToken).not.toBe(first.tokens.refreshToken),
      )
      cognito.hold(undefined)
      // The second tab is done when it gives the lease back.
      await vi.waitFor(async () =>
        expect(await storage.getItem('regionless.client-eu-west-1.refresh.lease')).toBeNull(),
      )
      await vi.waitFor(() => expect(tabB.getSession()?.tokens).toEqual(tabA.getSession()?.tokens))
      const stored = (await storedRecord(storage))?.byRegion['eu-west-1']
      expect(tabA.getSession()?.tokens.refreshToken).toBe(stored?.refreshToken)
      expect(stored?.refreshToken).not.toBe(first.tokens.refreshToken)
      expect(cognito.refreshTokenValid('eu-west-1', stored?.refreshToken)).toBe(true)
      expect(seen).toEqual([])
      expect(rotations(cognito).map((c) => c.status)).toEqual(refused ? [200, 400] : [200, 200])
      // The tokens kept are good: the next refresh succeeds.
      await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
      expect(
        rotations(cognito)
          .map((c) => [c.body.RefreshToken, c.status])
          .slice(2),
      ).toEqual([[stored?.refreshToken, 200]])
      await vi.waitFor(() => expect(tabB.getSession()?.tokens).toEqual(tabA.getSession()?.tokens))
      expect(cognito.refreshTokenValid('eu-west-1', tabA.getSession()?.tokens.refreshToken)).toBe(true)
      expect(seen).toEqual([])
    },
  )

  it('pools with the session bridge: each pool rotates its own refresh token', async () => {
    const storage = memoryStorage()
    const { client, cognito } = world(server, { expiresIn: 600, config: { storage, bridge: 'eager' } })
    cognito.setRotation({ graceSeconds: 0 })
    cognito.addUser(EMAIL, USERNAME)
    await signIn(client, cognito)
    await vi.waitFor(async () => expect(Object.keys((await storedRecord(storage))?.byRegion ?? {})).toHaveLength(2))
    const before = (await storedRecord(storage))!.byRegion
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    for (const region of ['eu-west-1', 'us-east-1']) {
      // At its own pool, with its own app client and its own refresh token.
      expect(rotations(cognito, region).map((c) => c.body)).toEqual([
        { ClientId: `client-${region}`, RefreshToken: before[region]?.refreshToken },
      ])
    }
    const after = (await storedRecord(storage))!.byRegion
    for (const region of ['eu-west-1', 'us-east-1']) {
      const [other] = ['eu-west-1', 'us-east-1'].filter((r) => r !== region)
      expect(after[region]?.refreshToken).not.toBe(before[region]?.refreshToken)
      expect(cognito.refreshTokenValid(region, after[region]?.refreshToken)).toBe(true)
      expect(cognito.refreshTokenValid(region, before[region]?.refreshToken)).toBe(false)
      // A pool never accepts the other pool's refresh token.
      expect(cognito.refreshTokenValid(other!, after[region]?.refreshToken)).toBe(false)
    }
    expect(client.getSession()?.tokens).toEqual(after['eu-west-1'])
  })

  it('replicas with failover: a refresh at the secondary rotates the one refresh token for both regions', async () => {
    const storage = memoryStorage()
    const { client, cognito } = world(server, {
      topology: 'replicas',
      expiresIn: 600,
      config: { storage, storageKey: 'replicas' },
    })
    cognito.setRotation({ graceSeconds: 0 })
    cognito.addUser(EMAIL, USERNAME)
    const first = await signIn(client, cognito)
    expect(cognito.refreshTokenValid('us-east-1', first.tokens.refreshToken)).toBe(true)
    cognito.setFault('eu-west-1', 'down')
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    // Tried at the primary (down), then at the secondary; never both at once.
    expect(rotations(cognito).map((c) => [c.region, c.body.RefreshToken])).toEqual([
      ['eu-west-1', first.tokens.refreshToken],
      ['us-east-1', first.tokens.refreshToken],
    ])
    const rotated = (await storedRecord(storage, 'replicas.session'))?.byRegion['eu-west-1']?.refreshToken
    expect(rotated).not.toBe(first.tokens.refreshToken)
    expect(client.getSession()?.tokens.refreshToken).toBe(rotated)
    for (const region of ['eu-west-1', 'us-east-1']) {
      expect(cognito.refreshTokenValid(region, first.tokens.refreshToken)).toBe(false)
      expect(cognito.refreshTokenValid(region, rotated)).toBe(true)
    }
    // The primary is back: the next refresh there accepts the token rotated at the secondary.
    cognito.setFault('eu-west-1', 'healthy')
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    const last = rotations(cognito).at(-1)
    expect(last?.body.RefreshToken).toBe(rotated)
    expect(client.getSession()?.tokens.refreshToken).not.toBe(rotated)
    expect(client.getSession()).not.toBeNull()
  })

  it('ends the session when the refresh token is refused and storage holds no successor', async () => {
    const { client, cognito } = world(server, { expiresIn: 600 })
    cognito.setRotation({ graceSeconds: 0 })
    cognito.addUser(EMAIL, USERNAME)
    await signIn(client, cognito)
    cognito.revokeRefreshTokens()
    const out = new Promise<AuthEvents['signedOut']>((resolve) => client.on('signedOut', resolve))
    await vi.advanceTimersByTimeAsync(REFRESH_DUE_MS)
    expect(await out).toEqual({ reason: 'revoked' })
  })
})

describe('storing new tokens for one region', () => {
  it('writes into the stored record, so a token another tab rotated meanwhile survives, and a sign-out elsewhere stays', async () => {
    const storage = memoryStorage()
    const config = resolveConfig({ topology: 'pools', regions: regionsFor(['eu-west-1', 'us-east-1']), storage })
    const store = createStore(initialState('eu-west-1'))
    const keeper = createSessionKeeper(config, storage, store, createEmitter(), () => {})
    const key = `${config.storageKey}.session`
    const tokens = (refreshToken: string) => ({
      idToken: 'id',
      accessToken: `access-${refreshToken}`,
      refreshToken,
      expiresAt: Date.now() + 600_000,
    })
    await keeper.save({
      userId: USERNAME,
      email: EMAIL,
      region: 'eu-west-1',
      byRegion: { 'eu-west-1': tokens('rt-1') },
    })
    // Another tab rotates eu-west-1's refresh token; this tab hears nothing of it.
    const elsewhere = await storedRecord(storage, key)
    elsewhere!.byRegion['eu-west-1'] = tokens('rt-2')
    await storage.setItem(key, JSON.stringify(elsewhere))
    // This tab then stores a bridge into us-east-1.
    expect(await keeper.put('us-east-1', tokens('rt-us'), USERNAME)).toBe(true)
    const stored = await storedRecord(storage, key)
    expect(stored?.byRegion['eu-west-1']?.refreshToken).toBe('rt-2')
    expect(stored?.byRegion['us-east-1']?.refreshToken).toBe('rt-us')
    expect(keeper.current()?.byRegion['eu-west-1']?.refreshToken).toBe('rt-2')
    // Another tab signed out: new tokens do not bring the session back.
    await storage.removeItem(key)
    expect(await keeper.put('us-east-1', tokens('rt-us-2'), USERNAME)).toBe(false)
    expect(await storage.getItem(key)).toBeNull()
    expect(store.getSnapshot().status).toBe('signed-out')
    keeper.close()
  })
})
