// Refresh-token rotation against the emulator, its app client set to rotate (grace 0): the client's
// refreshes go through GetTokensFromRefreshToken (the emulator refuses REFRESH_TOKEN_AUTH then), each
// stores the new refresh token, and tabs sharing storage never spend one refresh token twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AuthClient, AuthEvents, Session } from '../../src/index.js'
import {
  freshEmail,
  REGIONS,
  refreshDirectly,
  signInByCode,
  startWorld,
  type World,
} from '../helpers/emulator-world.js'

const [HOME, PEER] = REGIONS as [string, string]

// Tokens live 300 s (the least Cognito allows) and are refreshed 299 s before expiry: a refresh
// about every second, in real time.
const SHORT_TOKENS = { accessTokenValiditySeconds: 300, idTokenValiditySeconds: 300 }
const EAGER = { refreshMarginSeconds: 299 }

/** Resolves on the `count`-th event of that kind. */
const nth = <E extends keyof AuthEvents>(client: AuthClient, event: E, count: number) =>
  new Promise<AuthEvents[E]>((resolve) => {
    let seen = 0
    const off = client.on(event, (payload) => {
      if (++seen < count) return
      off()
      resolve(payload)
    })
  })

/** Sign-outs and background errors of these clients: rotation must cause neither. */
function watch(...clients: AuthClient[]) {
  const seen: string[] = []
  for (const client of clients) {
    client.on('signedOut', ({ reason }) => seen.push(`signedOut ${reason}`))
    client.on('error', ({ error }) => seen.push(`error ${error.code}`))
  }
  return seen
}

/** A `fetch` that notes the status of every GetTokensFromRefreshToken call. */
function countingFetch() {
  const statuses: number[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init)
    const target = new Headers(init?.headers).get('x-amz-target') ?? ''
    if (target.endsWith('.GetTokensFromRefreshToken')) statuses.push(response.status)
    return response
  }
  return { fetch, statuses }
}

describe.each(['pools', 'replicas'] as const)('refresh-token rotation against the emulator (%s)', (topology) => {
  let world: World
  beforeAll(async () => {
    world = await startWorld(topology, {
      client: { ...SHORT_TOKENS, refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } },
    })
  })
  afterAll(() => world.close())
  afterEach(async () => {
    for (const region of REGIONS) await world.fault(region, 'healthy')
  })

  const refreshAt = (region: string, refreshToken: string | undefined) => refreshDirectly(world, region, refreshToken)

  async function newUser() {
    const email = freshEmail()
    await world.client({ storageKey: `signup-${email}` }).signUp({ email })
    return email
  }

  it('signs in and refreshes twice, each refresh storing a new refresh token', async () => {
    const email = await newUser()
    const { fetch, statuses } = countingFetch()
    const client = world.client({ storageKey: `twice-${topology}`, bridge: 'off', fetch, ...EAGER })
    const seen = watch(client)
    const tokens: Session['tokens'][] = []
    client.on('tokenRefreshed', ({ session }) => tokens.push(session.tokens))
    const secondRefresh = nth(client, 'tokenRefreshed', 2)
    const first = await signInByCode(client, world, email)
    await secondRefresh
    client.destroy()
    const [one, two] = tokens as [Session['tokens'], Session['tokens']]
    const chain = [first.tokens.refreshToken, one.refreshToken, two.refreshToken]
    expect(new Set(chain).size).toBe(3)
    expect(statuses.slice(0, 2)).toEqual([200, 200])
    // The retired tokens are refused; the one the client kept works (in any region with replicas).
    for (const retired of chain.slice(0, 2)) {
      expect(await refreshAt(HOME, retired)).toMatchObject({ status: 400, type: 'RefreshTokenReuseException' })
    }
    const kept = client.getSession()?.tokens.refreshToken
    expect(kept).toBe(tokens.at(-1)?.refreshToken)
    const region = topology === 'replicas' ? PEER : HOME
    expect(await refreshAt(region, kept)).toMatchObject({ status: 200, rotated: expect.any(String) })
    expect(seen).toEqual([])
  })

  it('two clients sharing storage refresh at once: every call succeeds, nobody is signed out', async () => {
    const email = await newUser()
    const { fetch, statuses } = countingFetch()
    const key = `tabs-${topology}`
    const tabA = world.client({ storageKey: key, bridge: 'off', fetch, ...EAGER })
    const tabB = world.client({ storageKey: key, bridge: 'off', fetch, ...EAGER })
    await tabB.ready()
    const seen = watch(tabA, tabB)
    const rounds = Promise.all([nth(tabA, 'tokenRefreshed', 3), nth(tabB, 'tokenRefreshed', 3)])
    const first = await signInByCode(tabA, world, email)
    await rounds
    tabA.destroy()
    tabB.destroy()
    // Both tabs due at the same moment, each round: one call, the other tab reads its result.
    expect(statuses.length).toBeGreaterThanOrEqual(3)
    expect(statuses.every((status) => status === 200)).toBe(true)
    expect(tabB.getSession()?.tokens).toEqual(tabA.getSession()?.tokens)
    const kept = tabA.getSession()?.tokens.refreshToken
    expect(kept).not.toBe(first.tokens.refreshToken)
    expect(await refreshAt(HOME, first.tokens.refreshToken)).toMatchObject({ status: 400 })
    expect(await refreshAt(HOME, kept)).toMatchObject({ status: 200 })
    expect(seen).toEqual([])
  })

  if (topology === 'replicas') {
    it('refreshes at the secondary while the primary is down, rotating the one refresh token for both', async () => {
      const email = await newUser()
      const client = world.client({ storageKey: 'failover-replicas', timeoutMs: 1_000, ...EAGER })
      const seen = watch(client)
      const first = await signInByCode(client, world, email)
      await world.fault(HOME, 'down')
      const refreshed = await nth(client, 'tokenRefreshed', 1)
      client.destroy()
      const rotated = refreshed.session.tokens.refreshToken
      expect(rotated).not.toBe(first.tokens.refreshToken)
      await world.fault(HOME, 'healthy')
      expect(await refreshAt(HOME, first.tokens.refreshToken)).toMatchObject({ status: 400 })
      expect(await refreshAt(HOME, rotated)).toMatchObject({ status: 200 })
      expect(seen).toEqual([])
    })
  }
})
