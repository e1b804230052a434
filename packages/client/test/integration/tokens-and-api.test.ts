import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AuthClient, createApi } from '../../src/index.js'
import {
  freshEmail,
  nextEvent,
  REGIONS,
  signInByCode,
  signUpEverywhere,
  startWorld,
  type World,
} from '../helpers/emulator-world.js'

const [HOME, PEER] = REGIONS as [string, string]

const bridgedInto = (client: AuthClient, region: string) =>
  nextEvent(client, 'tokenRefreshed', (p) => p.region === region)

describe.each(['pools', 'replicas'] as const)('tokens and API calls against the emulator (%s)', (topology) => {
  let world: World
  beforeAll(async () => {
    world = await startWorld(topology)
  })
  afterAll(() => world.close())
  afterEach(async () => {
    for (const region of REGIONS) await world.fault(region, 'healthy')
    for (const api of world.apis) api.mode = 'up'
  })

  // Signs a new user in at home; in pools, waits until the eager bridge gave the peer a session too.
  async function signedIn(key: string, overrides: Parameters<World['client']>[0] = {}) {
    const email = freshEmail()
    if (topology === 'pools') await signUpEverywhere(world, email)
    else await world.client({ storageKey: `su-${key}` }).signUp({ email })
    const client = world.client({ storageKey: key, bridge: 'eager', ...overrides })
    const bridged = topology === 'pools' ? bridgedInto(client, PEER) : Promise.resolve()
    const session = await signInByCode(client, world, email)
    await bridged
    return { client, session, email }
  }

  it('calls the home API with the access token, refreshing and retrying once on 401', async () => {
    const { client, session } = await signedIn(`api-${topology}`)
    expect(await createApi(client).get('me').json()).toMatchObject({
      region: HOME,
      issuer: world.emu.config.regions[0]!.issuer,
    })
    expect(world.apis[0]!.calls.at(-1)?.path).toBe('/me')
    expect(session.region).toBe(HOME)
  })

  it('fails GETs over to the peer API on 5xx and network errors, but not POSTs', async () => {
    const { client } = await signedIn(`fo-${topology}`)
    world.apis[0]!.mode = 'error'
    expect(await createApi(client).get('items').json()).toMatchObject({ region: PEER })
    const { client: other } = await signedIn(`fo2-${topology}`)
    world.apis[0]!.mode = 'error'
    await expect(createApi(other).post('orders', { json: { n: 1 } })).rejects.toMatchObject({ name: 'HTTPError' })
    world.apis[0]!.mode = 'down'
    expect(await createApi(other).get('items').json()).toMatchObject({ region: PEER })
  })

  it('with home down and the session bridged, 1,000 API calls fail zero times', async () => {
    const { client } = await signedIn(`k-${topology}`)
    await world.fault(HOME, 'down')
    world.apis[0]!.mode = 'down'
    let failures = 0
    for (let i = 0; i < 1_000; i++) {
      await createApi(client)
        .get(`items/${i}`)
        .json()
        .catch(() => failures++)
    }
    expect(failures).toBe(0)
    const peerCalls = world.apis[1]!.calls.slice(-100)
    expect(peerCalls).toHaveLength(100)
    // Pools: the session moved to the peer's own pool. Replicas: one issuer for both regions.
    const expected = topology === 'pools' ? world.emu.config.regions[1]!.issuer : world.emu.config.regions[0]!.issuer
    expect(peerCalls.every((c) => c.issuer === expected)).toBe(true)
  })

  it('refreshes near expiry with the issuing pool after a reload', async () => {
    let skewMs = 0
    const now = () => Date.now() + skewMs
    const { client, session } = await signedIn(`r-${topology}`, { now })
    client.destroy()
    skewMs = session.tokens.expiresAt - Date.now() - 60_000
    const reloaded = world.client({ storageKey: `r-${topology}`, now, bridge: 'off' })
    const refreshed = await nextEvent(reloaded, 'tokenRefreshed', (p) => p.region === HOME)
    expect(refreshed.session.tokens.accessToken).not.toBe(session.tokens.accessToken)
    expect(refreshed.session.tokens.refreshToken).toBe(session.tokens.refreshToken)
  })

  it('keeps the user signed in when home is down at refresh time', async () => {
    let skewMs = 0
    const now = () => Date.now() + skewMs
    const { client, session } = await signedIn(`rd-${topology}`, { now })
    client.destroy()
    await world.fault(HOME, 'down')
    skewMs = session.tokens.expiresAt - Date.now() - 60_000
    const reloaded = world.client({ storageKey: `rd-${topology}`, now })
    // Pools: the peer refreshes its bridged session. Replicas: the secondary accepts the refresh token.
    const refreshed = await nextEvent(reloaded, 'tokenRefreshed')
    expect(refreshed.region).toBe(topology === 'pools' ? PEER : HOME)
    expect(reloaded.getSession()?.userId).toBe(session.userId)
    // Health is per region, not per service: with home's Cognito down, API calls go to the peer too.
    expect(await createApi(reloaded).get('still-ok').json()).toMatchObject({ region: PEER })
  })

  it('signs out everywhere and revokes: the old refresh token no longer works', async () => {
    const { client, session } = await signedIn(`so-${topology}`)
    await client.signOut()
    expect(client.getSession()).toBeNull()
    const res = await fetch(world.emu.config.regions[0]!.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: world.emu.config.regions[0]!.clientId,
        AuthParameters: { REFRESH_TOKEN: session.tokens.refreshToken },
      }),
    })
    expect(res.status).toBe(400)
    expect((await res.json()).__type).toContain('NotAuthorized')
  })
})
