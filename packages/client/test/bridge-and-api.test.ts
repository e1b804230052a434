import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { type AuthClient, type AuthClientConfig, createApi } from '../src/index.js'
import { bearerClaims, createFakeApi } from './helpers/fake-api.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()

function setup(config: Partial<AuthClientConfig> = {}) {
  const w = world(server, { api: true, config })
  const api = createFakeApi(w.regions)
  server.use(...api.handlers)
  w.cognito.addUser(EMAIL, USERNAME)
  return { ...w, api }
}

async function signIn(client: AuthClient, cognito: ReturnType<typeof world>['cognito']) {
  await client.signIn({ email: EMAIL, method: 'code' })
  return client.answer(cognito.lastCode()!)
}

describe('session bridge', () => {
  it('eager: bridges into the peer right after sign-in, with the ID token as the answer and no email', async () => {
    const { client, cognito } = setup({ bridge: 'eager' })
    const session = await signIn(client, cognito)
    await vi.waitFor(() => expect(cognito.ops('RespondToAuthChallenge', 'us-east-1')).toHaveLength(2))
    const [method, answer] = cognito.ops('RespondToAuthChallenge', 'us-east-1')
    expect(cognito.ops('InitiateAuth', 'us-east-1')[0]?.body.AuthParameters).toEqual({ USERNAME })
    expect(method?.body.ClientMetadata).toEqual({ method: 'bridge' })
    expect(answer?.body.ChallengeResponses.ANSWER).toBe(session.tokens.idToken)
    expect(cognito.inbox).toHaveLength(1)
  })

  it('eager: keeps API calls working with zero failures when home goes down', async () => {
    const { client, cognito, api } = setup({ bridge: 'eager' })
    await signIn(client, cognito)
    await vi.waitFor(() => expect(cognito.ops('RespondToAuthChallenge', 'us-east-1')).toHaveLength(2))
    cognito.setFault('eu-west-1', 'down')
    api.setFault('eu-west-1', 'down')
    let failures = 0
    for (let i = 0; i < 50; i++) {
      await createApi(client)
        .get(`items/${i}`)
        .json()
        .catch(() => failures++)
    }
    expect(failures).toBe(0)
    const last = api.seen.at(-1)!
    expect(last.region).toBe('us-east-1')
    // The peer's own token is attached once the session moved there.
    expect(bearerClaims(last.auth).iss).toContain('us-east-1')
    expect(client.getSession()?.region).toBe('us-east-1')
  })

  it('on-failover: bridges only when the peer becomes the preferred region', async () => {
    const { client, cognito, api } = setup({ bridge: 'on-failover' })
    await signIn(client, cognito)
    expect(cognito.ops('InitiateAuth', 'us-east-1')).toHaveLength(0)
    api.setFault('eu-west-1', 'down')
    cognito.setFault('eu-west-1', 'down')
    await createApi(client).get('a').json()
    await createApi(client).get('b').json()
    await vi.waitFor(() => expect(client.getSession()?.region).toBe('us-east-1'))
    expect(cognito.ops('RespondToAuthChallenge', 'us-east-1').at(-1)?.body.ClientMetadata).toEqual({ method: 'bridge' })
  })

  it('bridges with the first ID token of the sign-in, not a refreshed one (a peer takes only the first)', async () => {
    const { client, cognito, api } = setup({ bridge: 'on-failover' })
    const first = await signIn(client, cognito)
    api.setFault('eu-west-1', 'unauthorized-once')
    await createApi(client).get('me').json()
    const refreshed = client.getSession()!.tokens.idToken
    expect(refreshed).not.toBe(first.tokens.idToken)
    api.setFault('eu-west-1', 'down')
    cognito.setFault('eu-west-1', 'down')
    await createApi(client).get('a').json()
    await vi.waitFor(() => expect(client.getSession()?.region).toBe('us-east-1'))
    const answer = cognito.ops('RespondToAuthChallenge', 'us-east-1').at(-1)
    expect(answer?.body.ChallengeResponses.ANSWER).toBe(first.tokens.idToken)
  })

  it('off: never bridges; the API still accepts the home token in the peer', async () => {
    const { client, cognito, api } = setup({ bridge: 'off' })
    await signIn(client, cognito)
    api.setFault('eu-west-1', 'down')
    await createApi(client).get('x').json()
    expect(cognito.ops('InitiateAuth', 'us-east-1')).toHaveLength(0)
    expect(api.seen.at(-1)?.region).toBe('us-east-1')
    expect(bearerClaims(api.seen.at(-1)?.auth).iss).toContain('eu-west-1')
  })

  it('reports a refused bridge as BRIDGE_FAILED without retrying in a loop', async () => {
    const { client, cognito } = setup({ bridge: 'eager' })
    cognito.users('us-east-1').clear()
    const errors: string[] = []
    client.on('error', ({ error }) => errors.push(error.code))
    await signIn(client, cognito)
    await vi.waitFor(() => expect(errors).toEqual(['BRIDGE_FAILED']))
    await createApi(client).get('x').json()
    expect(cognito.ops('InitiateAuth', 'us-east-1')).toHaveLength(1)
  })
})

describe('client.fetchApi through createApi (ky)', () => {
  it('sends to the home API with the Bearer access token and keeps method, path, query and body', async () => {
    const { client, cognito, api } = setup()
    const session = await signIn(client, cognito)
    expect(
      await createApi(client)
        .post('orders?x=1', { json: { n: 1 } })
        .json(),
    ).toEqual({
      region: 'eu-west-1',
      path: '/v1/orders',
    })
    expect(api.seen[0]).toMatchObject({
      region: 'eu-west-1',
      method: 'POST',
      path: '/v1/orders?x=1',
      auth: `Bearer ${session.tokens.accessToken}`,
      body: '{"n":1}',
    })
  })

  it('refreshes and retries once on 401', async () => {
    const { client, cognito, api } = setup()
    const session = await signIn(client, cognito)
    api.setFault('eu-west-1', 'unauthorized-once')
    await createApi(client).get('me').json()
    expect(api.seen).toHaveLength(2)
    expect(api.seen[1]?.auth).not.toBe(`Bearer ${session.tokens.accessToken}`)
    expect(cognito.ops('GetTokensFromRefreshToken')).toHaveLength(1)
  })

  it('fails over idempotent requests on 5xx, not POSTs', async () => {
    const { client, cognito, api } = setup()
    await signIn(client, cognito)
    api.setFault('eu-west-1', 'error')
    expect(await createApi(client).put('doc').json()).toMatchObject({ region: 'us-east-1' })
    api.setFault('eu-west-1', 'error')
    const fresh = setup()
    await signIn(fresh.client, fresh.cognito)
    fresh.api.setFault('eu-west-1', 'error')
    await expect(createApi(fresh.client).post('pay').json()).rejects.toMatchObject({ name: 'HTTPError' })
    expect(fresh.api.seen.map((s) => s.region)).toEqual(['eu-west-1'])
  })

  it('rejects with NO_SESSION before sign-in, and ALL_REGIONS_DOWN when every API is down', async () => {
    const { client, cognito, api } = setup()
    await expect(createApi(client).get('x')).rejects.toMatchObject({ code: 'NO_SESSION' })
    await signIn(client, cognito)
    api.setFault('eu-west-1', 'down')
    api.setFault('us-east-1', 'down')
    await expect(createApi(client).get('x')).rejects.toMatchObject({ code: 'ALL_REGIONS_DOWN' })
  })
})

describe('createApi(client) pinned to a region', () => {
  it('sends an absolute URL under a region’s apiUrl to that region only, with a token, even while its Cognito is down', async () => {
    const { client, cognito, api, regions } = setup({ bridge: 'off' })
    await signIn(client, cognito)
    cognito.setFault('us-east-1', 'down')
    const peer = regions.find((r) => r.region === 'us-east-1')!
    const answer = await createApi(client).get(`${peer.apiUrl}/whoami?x=1`).json<{ region: string; path: string }>()
    expect(answer).toEqual({ region: 'us-east-1', path: '/v1/whoami' })
    expect(api.seen.at(-1)).toMatchObject({ region: 'us-east-1', path: '/v1/whoami?x=1' })
    expect(api.seen.at(-1)?.auth).toMatch(/^Bearer /)
  })

  it('does not fail a pinned call over to another region', async () => {
    const { client, cognito, api, regions } = setup({ bridge: 'off' })
    await signIn(client, cognito)
    api.setFault('us-east-1', 'down')
    const peer = regions.find((r) => r.region === 'us-east-1')!
    await expect(createApi(client).get(`${peer.apiUrl}/whoami`).json()).rejects.toMatchObject({ code: 'NETWORK' })
    expect(api.seen.every((s) => s.region === 'us-east-1')).toBe(true)
  })
})

describe('client.fetchApi called directly with an absolute URL', () => {
  it('sends a URL under a region’s apiUrl to that region, with a token', async () => {
    const { client, cognito, api, regions } = setup({ bridge: 'off' })
    await signIn(client, cognito)
    const peer = regions.find((r) => r.region === 'us-east-1')!
    const response = await client.fetchApi(`${peer.apiUrl}/whoami`)
    expect(await response.json()).toEqual({ region: 'us-east-1', path: '/v1/whoami' })
    expect(api.seen.at(-1)?.auth).toMatch(/^Bearer /)
  })

  it('sends no token to a host that merely starts like a region’s apiUrl', async () => {
    const { make, cognito, regions } = setup()
    // An apiUrl without a path, as most APIs have: `https://api.eu-west-1.test.attacker.example` starts with it.
    const client = make({ regions: regions.map((r) => ({ ...r, apiUrl: `https://api.${r.region}.test` })) })
    await signIn(client, cognito)
    const lookAlike = 'https://api.eu-west-1.test.attacker.example/steal'
    const seen: Headers[] = []
    server.use(
      http.all(lookAlike, ({ request }) => {
        seen.push(request.headers)
        return HttpResponse.json({})
      }),
    )
    await client.fetchApi(lookAlike)
    await createApi(client).get(lookAlike)
    expect(seen).toHaveLength(2)
    expect(seen.map((headers) => headers.get('authorization'))).toEqual([null, null])
  })
})

describe('cancel', () => {
  it('abandons the sign-in in progress and clears its error', async () => {
    const { client, cognito } = setup()
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer('000000').catch(() => {})
    expect(client.getSnapshot()).toMatchObject({ status: 'awaiting-code', error: { code: 'CODE_MISMATCH' } })
    client.cancel()
    expect(client.getSnapshot()).toMatchObject({ status: 'signed-out', challenge: null, error: null })
    await expect(client.answer(cognito.lastCode()!)).rejects.toMatchObject({ code: 'NO_CHALLENGE' })
  })
})
