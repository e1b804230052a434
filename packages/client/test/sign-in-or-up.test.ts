// signIn({ createAccount: true }): the one call a "sign in or sign up" form makes.
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { type AuthStatus, createApi } from '../src/index.js'
import { bearerClaims, createFakeApi } from './helpers/fake-api.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'
import { until } from './helpers/until.js'

const server = useMswServer()

describe('signIn({ createAccount: true })', () => {
  it('creates a new user, then sends one code from the region that created it; busy from the first moment', async () => {
    const { client, cognito } = world(server)
    await client.ready()
    const statuses: AuthStatus[] = []
    client.subscribe(() => statuses.push(client.getSnapshot().status))
    const challenge = await client.signIn({ email: EMAIL, method: 'code', createAccount: true })
    expect(statuses[0]).toBe('sending')
    expect(statuses.slice(0, -1).every((s) => s === 'sending')).toBe(true)
    expect(challenge).toMatchObject({ region: 'eu-west-1', email: EMAIL })
    expect(cognito.calls.map((c) => c.op)).toEqual(['SignUp', 'InitiateAuth', 'RespondToAuthChallenge'])
    expect(cognito.inbox).toHaveLength(1)
    expect((await client.answer(cognito.lastCode()!)).userId).toBe(USERNAME)
  })

  it('looks the same for an existing user', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const challenge = await client.signIn({ email: EMAIL, method: 'code', createAccount: true })
    expect(challenge).toMatchObject({ method: 'code', region: 'eu-west-1', attemptsLeft: 3 })
    expect(challenge.signUpUnavailable).toBeUndefined()
    expect(client.getSnapshot()).toMatchObject({ status: 'awaiting-code', error: null })
    expect(cognito.inbox).toHaveLength(1)
  })

  it('hedges the sign-up when home does not answer: the peer creates the user and sends the code', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { client, cognito } = world(server, { config: { hedgeDelayMs: 300, timeoutMs: 5_000 } })
      cognito.setFault('eu-west-1', 'hang')
      let done = false
      const pending = client.signIn({ email: EMAIL, method: 'code', createAccount: true }).finally(() => {
        done = true
      })
      // The username is hashed with WebCrypto (real time) before the hedge timer starts.
      for (let i = 0; i < 200 && !done; i++) await vi.advanceTimersByTimeAsync(10)
      expect((await pending).region).toBe('us-east-1')
      expect(cognito.ops('SignUp').map((c) => c.region)).toEqual(['eu-west-1', 'us-east-1'])
      // Home lost the race: the sign-in goes straight to the peer, nothing waits on home again.
      expect(cognito.ops('InitiateAuth').map((c) => c.region)).toEqual(['us-east-1'])
      expect(cognito.inbox).toHaveLength(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('puts every region being down in the state, with the wait, and leaves the form usable', async () => {
    const { client, cognito } = world(server)
    for (const region of ['eu-west-1', 'us-east-1']) cognito.setFault(region, 'down')
    await expect(client.signIn({ email: EMAIL, method: 'code', createAccount: true })).rejects.toMatchObject({
      code: 'ALL_REGIONS_DOWN',
    })
    const { status, error } = client.getSnapshot()
    expect(status).toBe('signed-out')
    expect(error).toMatchObject({ code: 'ALL_REGIONS_DOWN' })
    expect(error?.retryAfterSeconds).toBeGreaterThan(0)
  })

  it('replicas, primary down: an existing user gets a code from the secondary, with the notice everyone gets', async () => {
    const { client, cognito } = world(server, { topology: 'replicas' })
    cognito.addUser(EMAIL, USERNAME)
    cognito.setFault('eu-west-1', 'down')
    const challenge = await client.signIn({ email: EMAIL, method: 'code', createAccount: true })
    expect(challenge).toMatchObject({ region: 'us-east-1' })
    // The primary is asked again for a moment (a refusal may be one flap); then the notice.
    await until(client, () => client.getSnapshot().challenge?.signUpUnavailable === true)
    expect(cognito.ops('SignUp', 'us-east-1')).toHaveLength(0)
    expect(cognito.inbox).toHaveLength(1)
  })

  it('replicas: a flapping primary is asked again for the sign-up instead of refusing a new user', async () => {
    const { client, cognito } = world(server, { topology: 'replicas' })
    let failures = 2
    server.use(
      http.post('https://cognito.eu-west-1.test/', ({ request }) =>
        request.headers.get('x-amz-target')?.endsWith('.SignUp') && failures-- > 0
          ? HttpResponse.json({ __type: 'InternalErrorException', message: 'boom' }, { status: 500 })
          : undefined,
      ),
    )
    const challenge = await client.signIn({ email: EMAIL, method: 'code', createAccount: true })
    expect(challenge).toMatchObject({ region: 'eu-west-1' })
    expect(challenge.signUpUnavailable).toBeUndefined()
    expect(cognito.ops('SignUp').length).toBe(1) // the two 500s never reached the fake
    expect(cognito.inbox).toHaveLength(1)
  })
})

describe('signUp()', () => {
  it('shows its progress and its failure in the state', async () => {
    const { client, cognito } = world(server)
    const statuses: AuthStatus[] = []
    client.subscribe(() => statuses.push(client.getSnapshot().status))
    await client.signUp({ email: EMAIL })
    expect(statuses).toContain('signing-up')
    expect(client.getSnapshot().status).toBe('signed-out')
    for (const region of ['eu-west-1', 'us-east-1']) cognito.setFault(region, 'error')
    await expect(client.signUp({ email: 'bo@example.com' })).rejects.toMatchObject({ code: 'ALL_REGIONS_DOWN' })
    expect(client.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'ALL_REGIONS_DOWN' } })
  })
})

describe('answer()', () => {
  it('accepts a code with spaces or dashes inside, as people type and paste it', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    const code = cognito.lastCode()!
    const session = await client.answer(` ${code.slice(0, 3)} ${code.slice(3)} `)
    expect(session.userId).toBe(USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    const next = cognito.lastCode()!
    expect((await client.answer(`${next.slice(0, 3)}-${next.slice(3)}`)).userId).toBe(USERNAME)
  })
})

describe('createApi(client) and other URLs', () => {
  it('passes an absolute URL that is no region’s API through untouched, also with no apiUrl configured', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer(cognito.lastCode()!)
    let auth: string | null = 'unset'
    server.use(
      http.post('https://elsewhere.test/echo', async ({ request }) => {
        auth = request.headers.get('authorization')
        return HttpResponse.json({ got: await request.json() })
      }),
    )
    expect(
      await createApi(client)
        .post('https://elsewhere.test/echo', { json: { a: 1 } })
        .json(),
    ).toEqual({ got: { a: 1 } })
    expect(auth).toBeNull() // no token for someone else's server
    await expect(createApi(client).get('relative')).rejects.toThrow(TypeError)
  })

  it('uses another pool’s fresh tokens while the region’s own refresh is stuck', async () => {
    let clock = 1_000_000
    const { client, cognito, regions } = world(server, {
      api: true,
      config: { now: () => clock, bridge: 'on-failover', hedgeDelayMs: 20 },
    })
    const api = createFakeApi(regions)
    server.use(...api.handlers)
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer(cognito.lastCode()!)
    // An hour later eu-west-1's tokens are about to expire and eu-west-1 stops answering;
    // the next send fails over, which bridges the session into us-east-1 (fresh tokens).
    clock += 3_598_000
    cognito.setFault('eu-west-1', 'hang')
    const bridged = new Promise((resolve) => client.on('tokenRefreshed', resolve))
    await client.signIn({ email: EMAIL, method: 'code' })
    await bridged
    client.cancel()
    const home = regions[0]!
    const answer = await createApi(client).get(`${home.apiUrl}/whoami`).json<{ region: string }>()
    expect(answer.region).toBe('eu-west-1')
    expect(bearerClaims(api.seen.at(-1)!.auth).iss).toContain('us-east-1')
  })
})
