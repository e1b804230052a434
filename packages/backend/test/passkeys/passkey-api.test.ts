import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import { describe, expect, it } from 'vitest'
import { createPasskeyHttpHandler, type PasskeyHttpRequest } from '../../src/passkeys/passkey-http.js'
import { MAX_PASSKEYS } from '../../src/passkeys/passkey-service.js'
import { webauthnKey } from '../../src/stores/keys.js'
import { START_MS } from '../helpers/harness.js'
import { type CeremonyOptions, createSoftAuthenticator } from '../helpers/soft-authenticator.js'
import { ADA, ADA_USER, createPasskeyWorld, GRACE_USER, ORIGIN, RP_ID } from './passkey-world.js'

function setup() {
  const world = createPasskeyWorld()
  const handle = createPasskeyHttpHandler(world.regions.a.api)
  // `null`: no signed-in user (the host found no valid access token).
  const call = (method: string, path: string, body?: unknown, username: string | null = ADA_USER) =>
    handle({
      method,
      path,
      username: username ?? undefined,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    } satisfies PasskeyHttpRequest)
  async function options(username = ADA_USER): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const res = await call('POST', '/passkeys/registration-options', { displayName: ADA }, username)
    expect(res.status).toBe(200)
    return (res.body as { options: PublicKeyCredentialCreationOptionsJSON }).options
  }
  /** Starts a registration and answers it with `ceremony` (a correct one unless told otherwise). */
  async function attempt(ceremony: Partial<CeremonyOptions> = {}, authenticator = createSoftAuthenticator()) {
    const response = authenticator.register(await options(), { origin: ORIGIN, ...ceremony })
    return { response, result: await call('POST', '/passkeys', { response }) }
  }
  const listed = async (username = ADA_USER) =>
    ((await call('GET', '/passkeys', undefined, username)).body as { passkeys: { id: string; name: string }[] })
      .passkeys
  return { ...world, call, options, attempt, listed }
}

describe('passkey API: registration options', () => {
  it('asks for a discoverable-if-possible, user-verified passkey with no attestation, for this user', async () => {
    const { options } = setup()
    const created = await options()
    expect(created).toMatchObject({
      rp: { id: RP_ID, name: 'Example' },
      user: { id: isoBase64URL.fromUTF8String(ADA_USER), name: ADA, displayName: ADA },
      attestation: 'none',
      timeout: 300_000,
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      extensions: { credProps: true },
      excludeCredentials: [],
    })
    expect(isoBase64URL.toUTF8String(created.user.id)).toBe(ADA_USER)
    expect(created.pubKeyCredParams.map((p) => p.alg)).toContain(-7)
    expect(created.challenge).not.toBe((await options()).challenge)
  })

  it('excludes the credentials the user already has (and only theirs)', async () => {
    const { options, register } = setup()
    const { passkey } = await register(ADA)
    const { passkey: second } = await register(ADA)
    await register('grace@example.com')
    expect((await options()).excludeCredentials?.map((c) => c.id).sort()).toEqual([passkey.id, second.id].sort())
    expect((await options()).excludeCredentials?.[0]).toMatchObject({
      type: 'public-key',
      transports: ['internal', 'hybrid'],
    })
    expect((await options(GRACE_USER)).excludeCredentials).toHaveLength(1)
  })

  it('refuses a bad display name and a user with the maximum number of passkeys', async () => {
    const { call, passkeys } = setup()
    const res = await call('POST', '/passkeys/registration-options', { displayName: ' ' })
    expect(res).toEqual({ status: 400, body: { error: 'invalid_request', message: expect.stringMatching(/name/) } })
    for (let i = 0; i < MAX_PASSKEYS; i++) {
      await passkeys.add(ADA_USER, {
        id: `cred${i}`,
        publicKey: 'AA',
        counter: 0,
        name: `P${i}`,
        createdAt: i,
        registeredRegion: 'eu-west-1',
        backedUp: false,
        deviceType: 'singleDevice',
      })
    }
    expect((await call('POST', '/passkeys/registration-options', {})).status).toBe(409)
    expect((await call('POST', '/passkeys/registration-options', {})).body).toMatchObject({
      error: 'too_many_passkeys',
    })
  })
})

describe('passkey API: register, list, rename, delete', () => {
  it('registers, lists newest first, renames and deletes through the HTTP routes', async () => {
    const { call, attempt, listed, h } = setup()
    const first = await attempt()
    expect(first.result.status).toBe(201)
    expect((first.result.body as { passkey: unknown }).passkey).toEqual({
      id: first.response.id,
      name: 'Passkey 1',
      createdAt: new Date(START_MS).toISOString(),
      registeredRegion: 'eu-west-1',
      backedUp: false,
      deviceType: 'singleDevice',
      transports: ['internal', 'hybrid'],
    })
    h.advance(60)
    const second = await attempt({}, createSoftAuthenticator({ backedUp: true }))
    expect((second.result.body as { passkey: unknown }).passkey).toMatchObject({
      name: 'Passkey 2',
      backedUp: true,
      deviceType: 'multiDevice',
      createdAt: new Date(START_MS + 60_000).toISOString(),
    })
    expect((await listed()).map((p) => p.id)).toEqual([second.response.id, first.response.id])

    const renamed = await call('PUT', `/passkeys/${first.response.id}`, { name: '  Work laptop  ' })
    expect(renamed).toMatchObject({ status: 200, body: { passkey: { id: first.response.id, name: 'Work laptop' } } })
    expect((await listed()).find((p) => p.id === first.response.id)?.name).toBe('Work laptop')

    expect(await call('DELETE', `/passkeys/${first.response.id}`)).toEqual({ status: 204 })
    expect((await listed()).map((p) => p.id)).toEqual([second.response.id])
    expect((await call('DELETE', `/passkeys/${first.response.id}`)).status).toBe(404)
  })

  it('keeps the name the client gives, trimmed, and counts characters, not UTF-16 units', async () => {
    const { call, options } = setup()
    const register = async (name: unknown) =>
      call('POST', '/passkeys', {
        name,
        response: createSoftAuthenticator().register(await options(), { origin: ORIGIN }),
      })
    expect(await register(' Phone ')).toMatchObject({ status: 201, body: { passkey: { name: 'Phone' } } })
    expect(await register('🔑'.repeat(64))).toMatchObject({ status: 201, body: { passkey: { name: '🔑'.repeat(64) } } })
    for (const bad of ['', '   ', 'x'.repeat(65), 42, null]) {
      expect(await register(bad)).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    }
  })

  it('validates a new name and refuses to rename without one', async () => {
    const { call, attempt } = setup()
    const { response } = await attempt()
    for (const body of [{}, { name: '' }, { name: 'y'.repeat(65) }, { name: ['a'] }]) {
      expect(await call('PUT', `/passkeys/${response.id}`, body)).toMatchObject({
        status: 400,
        body: { error: 'invalid_request', message: expect.stringMatching(/name/) },
      })
    }
  })

  it("answers 404 for another user's passkey on rename and delete, and leaves it alone", async () => {
    const { call, attempt, listed } = setup()
    const { response } = await attempt()
    expect(await call('PUT', `/passkeys/${response.id}`, { name: 'Mine now' }, GRACE_USER)).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    })
    expect((await call('DELETE', `/passkeys/${response.id}`, undefined, GRACE_USER)).status).toBe(404)
    expect(await listed()).toMatchObject([{ id: response.id, name: 'Passkey 1' }])
    expect(await listed(GRACE_USER)).toEqual([])
  })
})

describe('passkey API: registration refused', () => {
  type Refusal = [string, Partial<CeremonyOptions>, string]
  it.each<Refusal>([
    ['an origin that is not configured', { origin: 'https://evil.example.com' }, 'registration_failed'],
    ['another RP id', { rpId: 'evil.com' }, 'registration_failed'],
    ['no user verification', { userVerified: false }, 'registration_failed'],
    ['a sign-in ceremony type', { type: 'webauthn.get' }, 'registration_failed'],
    ['a challenge that was never issued', { challenge: isoBase64URL.fromUTF8String('made-up') }, 'challenge_expired'],
  ])('refuses a response with %s and stores nothing', async (_, ceremony, error) => {
    const { attempt, listed } = setup()
    const { result } = await attempt(ceremony)
    expect(result).toMatchObject({ status: 400, body: { error } })
    expect(await listed()).toEqual([])
  })

  it('a refused response does not spend the challenge: the right answer to the same options still registers', async () => {
    const { call, options, listed } = setup()
    const created = await options()
    const authenticator = createSoftAuthenticator()
    const wrong = authenticator.register(created, { origin: ORIGIN, userVerified: false })
    expect((await call('POST', '/passkeys', { response: wrong })).status).toBe(400)
    const right = authenticator.register(created, { origin: ORIGIN })
    expect((await call('POST', '/passkeys', { response: right })).status).toBe(201)
    expect(await listed()).toHaveLength(1)
  })

  it("refuses a response to another user's challenge", async () => {
    const { call, options, listed } = setup()
    const grace = await options(GRACE_USER)
    const response = createSoftAuthenticator().register(grace, { origin: ORIGIN })
    expect(await call('POST', '/passkeys', { response })).toMatchObject({
      status: 400,
      body: { error: 'challenge_expired' },
    })
    expect(await listed()).toEqual([])
    expect(await listed(GRACE_USER)).toEqual([])
  })

  it('refuses a response to a sign-in challenge (POST /passkeys/challenge)', async () => {
    const { call, options, listed, regions } = setup()
    const signIn = await regions.a.api.signInChallenge()
    const response = createSoftAuthenticator().register(await options(), {
      origin: ORIGIN,
      challenge: signIn.challenge,
    })
    expect(await call('POST', '/passkeys', { response })).toMatchObject({
      status: 400,
      body: { error: 'challenge_expired' },
    })
    expect(await listed()).toEqual([])
  })

  it('refuses a response once the challenge expired (after 300 s, not before)', async () => {
    const { call, options, h, listed } = setup()
    const created = await options()
    const authenticator = createSoftAuthenticator()
    h.advance(300)
    const late = authenticator.register(created, { origin: ORIGIN })
    expect(await call('POST', '/passkeys', { response: late })).toMatchObject({
      status: 400,
      body: { error: 'challenge_expired' },
    })
    expect(await listed()).toEqual([])

    const { clock } = h
    const fresh = await options()
    clock.ms += 299_000
    expect(
      (await call('POST', '/passkeys', { response: authenticator.register(fresh, { origin: ORIGIN }) })).status,
    ).toBe(201)
  })

  it('refuses a replayed registration response, in this region or the other', async () => {
    const { call, attempt, listed, regions, h } = setup()
    const { response, result } = await attempt()
    expect(result.status).toBe(201)
    expect(await call('POST', '/passkeys', { response })).toMatchObject({
      status: 400,
      body: { error: 'challenge_expired' },
    })
    const other = createPasskeyHttpHandler(regions.b.api)
    expect(
      await other({ method: 'POST', path: '/passkeys', username: ADA_USER, body: JSON.stringify({ response }) }),
    ).toMatchObject({ status: 400, body: { error: 'challenge_expired' } })
    expect(await listed()).toHaveLength(1)
    const challenge = JSON.parse(isoBase64URL.toUTF8String(response.response.clientDataJSON)).challenge
    expect(await h.store.consume(webauthnKey(challenge), 0)).toBe(false)
  })

  it('refuses the same authenticator twice (a new ceremony for a credential already registered)', async () => {
    const { attempt, listed } = setup()
    const authenticator = createSoftAuthenticator()
    expect((await attempt({}, authenticator)).result.status).toBe(201)
    expect((await attempt({}, authenticator)).result).toMatchObject({
      status: 409,
      body: { error: 'already_registered' },
    })
    expect(await listed()).toHaveLength(1)
  })

  it('refuses a body that is not a registration response', async () => {
    const { call, attempt } = setup()
    const { response } = await attempt()
    const broken: RegistrationResponseJSON = { ...response, rawId: 'other' }
    for (const body of ['not json', '[]', { response: broken }, { response: 'x' }, {}]) {
      expect(await call('POST', '/passkeys', body)).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    }
  })
})

describe('passkey API: authentication and routes', () => {
  it.each([
    ['POST', '/passkeys/registration-options'],
    ['POST', '/passkeys'],
    ['GET', '/passkeys'],
    ['PUT', '/passkeys/abc'],
    ['DELETE', '/passkeys/abc'],
  ])('%s %s answers 401 without a signed-in user', async (method, path) => {
    const { call } = setup()
    expect(await call(method, path, { name: 'x' }, null)).toEqual({
      status: 401,
      body: { error: 'unauthorized', message: 'Sign in first' },
    })
  })

  it('POST /passkeys/challenge needs no user and issues a sign-in challenge any region accepts, listing no credentials', async () => {
    const { call, passkeys, h } = setup()
    const res = await call('POST', '/passkeys/challenge', undefined, null)
    expect(res.status).toBe(200)
    const { options } = res.body as { options: { challenge: string } }
    expect(options).toEqual({
      challenge: expect.any(String),
      rpId: RP_ID,
      timeout: 300_000,
      userVerification: 'required',
      allowCredentials: [],
    })
    expect(await passkeys.findChallenge(options.challenge)).toEqual({
      purpose: 'sign-in',
      expiresAt: START_MS / 1000 + 300,
    })
    h.advance(300)
    expect(await passkeys.findChallenge(options.challenge)).toBeUndefined()
  })

  it('answers 404 for unknown routes and 405 for a wrong method on a known one', async () => {
    const { call } = setup()
    expect(await call('GET', '/passkeyz')).toMatchObject({ status: 404, body: { error: 'not_found' } })
    expect(await call('PATCH', '/passkeys')).toMatchObject({ status: 405, body: { error: 'invalid_request' } })
    expect((await call('GET', '/passkeys/')).status).toBe(200)
  })
})
