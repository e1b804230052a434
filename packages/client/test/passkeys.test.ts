import * as browser from '@simplewebauthn/browser'
import { HttpResponse, http } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { passkeys } from '../src/passkeys/index.js'
import { EMAIL, USERNAME, useMswServer, type World, world } from './helpers/setup.js'

// The browser side is simplewebauthn's: mocked here, exercised for real in the Chromium tests.
vi.mock('@simplewebauthn/browser', () => ({
  browserSupportsWebAuthn: () => true,
  browserSupportsWebAuthnAutofill: async () => true,
  startRegistration: vi.fn(),
  startAuthentication: vi.fn(),
  WebAuthnAbortService: { cancelCeremony: vi.fn() },
}))
const startAuthentication = vi.mocked(browser.startAuthentication)
const startRegistration = vi.mocked(browser.startRegistration)
const cancelCeremony = vi.mocked(browser.WebAuthnAbortService.cancelCeremony)

const server = useMswServer()
const CREDENTIAL = 'cred-1'
const handle = (username: string) => Buffer.from(username).toString('base64url')
const assertion = (username = USERNAME, id = CREDENTIAL) =>
  ({
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: 'cd', authenticatorData: 'ad', signature: 'sig', userHandle: handle(username) },
  }) as browser.AuthenticationResponseJSON
const summary = { id: CREDENTIAL, name: 'Passkey', createdAt: '2026-01-01T00:00:00Z', registeredRegion: 'eu-west-1' }

// The passkeys API of each region (see the passkeys contract), recording what it was asked.
function passkeysApi(w: World) {
  const seen: Array<{ region: string; method: string; path: string; auth: string | null; body: unknown }> = []
  server.use(
    ...w.regions.map((r) =>
      http.all(`${r.apiUrl}/passkeys*`, async ({ request }) => {
        const path = new URL(request.url).pathname.replace('/v1/', '')
        const text = await request.text()
        seen.push({
          region: r.region,
          method: request.method,
          path,
          auth: request.headers.get('authorization'),
          body: text ? JSON.parse(text) : undefined,
        })
        if (path === 'passkeys/challenge') return HttpResponse.json({ options: { challenge: `api-${r.region}` } })
        if (path === 'passkeys/registration-options')
          return HttpResponse.json({ options: { challenge: 'reg', rp: { name: 'x' }, user: {} } })
        if (path === 'passkeys' && request.method === 'POST')
          return HttpResponse.json({ passkey: summary }, { status: 201 })
        if (path === 'passkeys') return HttpResponse.json({ passkeys: [summary] })
        if (path === `passkeys/${CREDENTIAL}` && request.method === 'PUT')
          return HttpResponse.json({ passkey: { ...summary, name: (JSON.parse(text) as { name: string }).name } })
        if (path === `passkeys/${CREDENTIAL}`) return new HttpResponse(null, { status: 204 })
        return HttpResponse.json({ error: 'not_found', message: 'No such passkey' }, { status: 404 })
      }),
    ),
  )
  return seen
}

function setup() {
  const w = world(server, { api: true, config: { passkeys: passkeys() } })
  w.cognito.addUser(EMAIL, USERNAME)
  w.cognito.addPasskey(CREDENTIAL, USERNAME)
  return { ...w, api: passkeysApi(w) }
}

async function signInWithCode(w: World) {
  await w.client.signIn({ email: EMAIL, method: 'code' })
  return w.client.answer(w.cognito.lastCode()!)
}

beforeEach(() => {
  startAuthentication.mockReset()
  startRegistration.mockReset()
  cancelCeremony.mockReset()
})
afterEach(() => vi.unstubAllGlobals())

describe('passkeys', () => {
  it('without the plugin: every passkey call rejects with PASSKEYS_NOT_CONFIGURED', async () => {
    const { client } = world(server)
    expect(client.passkeysAvailable()).toBe(false)
    for (const call of [
      () => client.addPasskey(),
      () => client.listPasskeys(),
      () => client.renamePasskey('a', 'b'),
      () => client.deletePasskey('a'),
      () => client.signInWithPasskeyAutofill(),
      () => client.signIn({ email: EMAIL, method: 'passkey' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'RegionlessError', code: 'PASSKEYS_NOT_CONFIGURED' })
    }
  })

  it('is unavailable on a page served from an IP address (never an RP id), available on localhost', () => {
    const { client } = setup()
    vi.stubGlobal('location', { hostname: '127.0.0.1' })
    expect(client.passkeysAvailable()).toBe(false)
    vi.stubGlobal('location', { hostname: '[::1]' })
    expect(client.passkeysAvailable()).toBe(false)
    vi.stubGlobal('location', { hostname: 'localhost' })
    expect(client.passkeysAvailable()).toBe(true)
  })

  it('registers: options for the session email, the browser creates it, the API stores it, all with the token', async () => {
    const w = setup()
    const session = await signInWithCode(w)
    expect(w.client.passkeysAvailable()).toBe(true)
    const registration = { id: 'new', rawId: 'new', type: 'public-key', response: {}, clientExtensionResults: {} }
    const statuses: string[] = []
    w.client.subscribe(() => statuses.push(w.client.getSnapshot().status))
    startRegistration.mockResolvedValue(registration as unknown as browser.RegistrationResponseJSON)
    const added = await w.client.addPasskey({ name: 'Laptop' })
    expect(added).toEqual(summary)
    expect(w.api.map((c) => `${c.method} ${c.path}`)).toEqual(['POST passkeys/registration-options', 'POST passkeys'])
    expect(w.api[0]?.body).toEqual({ displayName: EMAIL })
    expect(w.api[1]?.body).toEqual({ response: registration, name: 'Laptop' })
    for (const c of w.api) expect(c.auth).toBe(`Bearer ${session.tokens.accessToken}`)
    expect(startRegistration).toHaveBeenCalledWith({ optionsJSON: { challenge: 'reg', rp: { name: 'x' }, user: {} } })
    expect(statuses).toEqual(['waiting-for-passkey', 'verifying', 'signed-in'])
  })

  it('lists, renames and deletes; an unknown id is PASSKEY_NOT_FOUND', async () => {
    const w = setup()
    await signInWithCode(w)
    expect(await w.client.listPasskeys()).toEqual([summary])
    expect(await w.client.renamePasskey(CREDENTIAL, '  Phone ')).toMatchObject({ name: 'Phone' })
    await expect(w.client.deletePasskey(CREDENTIAL)).resolves.toBeUndefined()
    await expect(w.client.deletePasskey('other')).rejects.toMatchObject({ code: 'PASSKEY_NOT_FOUND' })
    expect(w.api.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET passkeys',
      `PUT passkeys/${CREDENTIAL}`,
      `DELETE passkeys/${CREDENTIAL}`,
      'DELETE passkeys/other',
    ])
    await expect(w.client.renamePasskey(CREDENTIAL, ' ')).rejects.toThrow(TypeError)
  })

  it('adding a passkey needs a session', async () => {
    const w = setup()
    await expect(w.client.addPasskey()).rejects.toMatchObject({ code: 'NO_SESSION' })
    expect(startRegistration).not.toHaveBeenCalled()
  })

  it('username-first: the Cognito challenge carries the options, the answer is the JSON assertion', async () => {
    const w = setup()
    await w.client.ready()
    const statuses: string[] = []
    w.client.subscribe(() => statuses.push(w.client.getSnapshot().status))
    startAuthentication.mockResolvedValue(assertion())
    const session = await w.client.signIn({ email: EMAIL, method: 'passkey' })
    expect(session).toMatchObject({ userId: USERNAME, email: EMAIL, region: 'eu-west-1' })
    const [method, answer] = w.cognito.ops('RespondToAuthChallenge')
    expect(method?.body.ClientMetadata).toEqual({ method: 'passkey' })
    expect(answer?.body.ChallengeResponses.ANSWER).toBe(JSON.stringify(assertion()))
    expect(startAuthentication).toHaveBeenCalledWith({
      optionsJSON: expect.objectContaining({ challenge: expect.stringMatching(/^ch-/), allowCredentials: [] }),
      useBrowserAutofill: false,
    })
    expect(statuses).toEqual(['waiting-for-passkey', 'verifying', 'signed-in'])
    expect(w.cognito.inbox).toHaveLength(0)
  })

  it('a dismissed dialog is PASSKEY_CANCELLED, in the state too; a refused passkey is PASSKEY_REJECTED', async () => {
    const w = setup()
    startAuthentication.mockRejectedValueOnce(new DOMException('The operation was not allowed', 'NotAllowedError'))
    await expect(w.client.signIn({ email: EMAIL, method: 'passkey' })).rejects.toMatchObject({
      code: 'PASSKEY_CANCELLED',
    })
    expect(w.client.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'PASSKEY_CANCELLED' } })

    startAuthentication.mockResolvedValueOnce(assertion(USERNAME, 'someone-elses'))
    await expect(w.client.signIn({ email: EMAIL, method: 'passkey' })).rejects.toMatchObject({
      code: 'PASSKEY_REJECTED',
      region: 'eu-west-1',
    })
    expect(w.client.getSession()).toBeNull()
  })

  it('autofill: a challenge from the API without a token, conditional mediation, the user from userHandle', async () => {
    const w = setup()
    startAuthentication.mockResolvedValue(assertion())
    const session = await w.client.signInWithPasskeyAutofill()
    expect(session).toMatchObject({ userId: USERNAME, email: EMAIL })
    expect(w.api).toEqual([expect.objectContaining({ method: 'POST', path: 'passkeys/challenge', auth: null })])
    expect(startAuthentication).toHaveBeenCalledWith({
      optionsJSON: { challenge: 'api-eu-west-1' },
      useBrowserAutofill: true,
    })
    expect(w.cognito.ops('InitiateAuth').at(-1)?.body.AuthParameters.USERNAME).toBe(USERNAME)
    expect(w.cognito.ops('RespondToAuthChallenge').at(-1)?.body.ChallengeResponses.ANSWER).toBe(
      JSON.stringify(assertion()),
    )
  })

  it('autofill: a region lost after the assertion → the next region takes the same assertion', async () => {
    const w = setup()
    const eu = w.regions[0]!
    // eu takes the method step, then fails the real answer (500).
    const refused: string[] = []
    server.use(
      http.post(eu.endpoint, async ({ request }) => {
        const body = (await request.clone().json()) as { ChallengeResponses?: { ANSWER?: string } }
        const answer = body.ChallengeResponses?.ANSWER
        if (answer && answer !== '__method') refused.push(answer)
        if (answer && answer !== '__method')
          return HttpResponse.json({ __type: 'InternalErrorException', message: 'boom' }, { status: 500 })
      }),
    )
    startAuthentication.mockResolvedValue(assertion())
    const session = await w.client.signInWithPasskeyAutofill()
    expect(session.region).toBe('us-east-1')
    expect(startAuthentication).toHaveBeenCalledOnce()
    const answers = w.cognito
      .ops('RespondToAuthChallenge')
      .filter((c) => c.body.ChallengeResponses.ANSWER !== '__method')
    expect(answers.map((c) => c.region)).toEqual(['us-east-1'])
    expect([...refused, answers[0]?.body.ChallengeResponses.ANSWER]).toEqual([
      JSON.stringify(assertion()),
      JSON.stringify(assertion()),
    ])
  })

  it('autofill: a second call aborts the first, and so does the signal; neither puts an error in the state', async () => {
    const w = setup()
    // The browser holds a conditional request until it is cancelled.
    const rejectors: Array<(err: unknown) => void> = []
    cancelCeremony.mockImplementation(() => rejectors.shift()?.(new DOMException('aborted', 'AbortError')))
    startAuthentication.mockImplementation(() => new Promise((_, reject) => rejectors.push(reject)))
    const first = w.client.signInWithPasskeyAutofill()
    await vi.waitFor(() => expect(startAuthentication).toHaveBeenCalledTimes(1))
    const controller = new AbortController()
    const second = w.client.signInWithPasskeyAutofill({ signal: controller.signal })
    await expect(first).rejects.toMatchObject({ code: 'PASSKEY_CANCELLED' })
    await vi.waitFor(() => expect(startAuthentication).toHaveBeenCalledTimes(2))
    controller.abort()
    await expect(second).rejects.toMatchObject({ code: 'PASSKEY_CANCELLED' })
    expect(cancelCeremony).toHaveBeenCalledTimes(2)
    expect(w.client.getSnapshot()).toMatchObject({ status: 'signed-out', error: null })
    expect(w.cognito.ops('InitiateAuth')).toHaveLength(0)
  })

  it('maps the API errors of the passkey routes, 5xx as an outage', async () => {
    const w = setup()
    await signInWithCode(w)
    server.use(
      http.post(`${w.regions[0]!.apiUrl}/passkeys`, () =>
        HttpResponse.json({ error: 'registration_failed', message: 'bad attestation' }, { status: 400 }),
      ),
      http.get(`${w.regions[0]!.apiUrl}/passkeys`, () =>
        HttpResponse.json({ error: 'unavailable', message: 'down' }, { status: 503 }),
      ),
    )
    startRegistration.mockResolvedValue({} as browser.RegistrationResponseJSON)
    await expect(w.client.addPasskey()).rejects.toMatchObject({
      code: 'PASSKEY_REGISTRATION_FAILED',
      message: 'bad attestation',
    })
    expect(w.client.getSnapshot()).toMatchObject({
      status: 'signed-in',
      error: { code: 'PASSKEY_REGISTRATION_FAILED' },
    })
    // GET fails over to us-east-1's API, which answers.
    expect(await w.client.listPasskeys()).toEqual([summary])
  })
})
