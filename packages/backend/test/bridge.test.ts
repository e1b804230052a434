import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { type BridgePool, checkBridgeClaims } from '../src/links/bridge-token.js'
import { bridgeSpendKey } from '../src/triggers/bridge-spend.js'
import { createSimulator, type SimResult } from './helpers/cognito-simulator.js'
import { POOL_ID } from './helpers/events.js'
import { createHarness } from './helpers/harness.js'

const EMAIL = 'ada@example.com'
const USERNAME = usernameForEmail(EMAIL)
const users = [{ username: USERNAME, email: EMAIL }]
const PEER_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Def456'
const PEER_CLIENT = '7peerclientid0000000000000'

type Keys = { privateKey: CryptoKey; jwk: JWK }
let peer: Keys
let stranger: Keys

async function rsaKeys(kid: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } }
}

beforeAll(async () => {
  peer = await rsaKeys('peer-key-1')
  stranger = await rsaKeys('peer-key-1') // same kid, different key: a forged token
})

/** An ID token shaped like Cognito's, signed with `keys`. */
async function idToken(
  nowSeconds: number,
  overrides: Record<string, unknown> = {},
  keys: Keys = peer,
): Promise<string> {
  const claims = {
    sub: 'c3d4e5f6-0000-4000-8000-000000000001',
    email_verified: true,
    iss: PEER_ISSUER,
    'cognito:username': USERNAME,
    origin_jti: randomUUID(),
    aud: PEER_CLIENT,
    event_id: randomUUID(),
    token_use: 'id',
    auth_time: nowSeconds - 60,
    exp: nowSeconds + 3600,
    iat: nowSeconds - 60,
    jti: randomUUID(),
    email: EMAIL,
    ...overrides,
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: keys.jwk.kid ?? '' }).sign(keys.privateKey)
}

function pool(): BridgePool {
  return { issuer: PEER_ISSUER, clientIds: [PEER_CLIENT], jwks: { keys: [peer.jwk] } }
}

function setup() {
  const h = createHarness({ bridge: { trustedPools: [pool()] } })
  const sim = createSimulator(h.triggers, users)
  async function bridge(token: string, typed = EMAIL, into = sim): Promise<SimResult> {
    const method = await into.initiateAuth(typed)
    if (method.kind !== 'challenge') throw new Error('no method step')
    const step = await into.respond(method.session, '__method', { method: 'bridge' })
    if (step.kind !== 'challenge') throw new Error(`no bridge step: ${JSON.stringify(step)}`)
    expect(step.parameters).toEqual({ USERNAME: expect.any(String), step: 'bridge' })
    return into.respond(step.session, token, { method: 'bridge' })
  }
  const lastReason = () => h.log.filter((e) => e.trigger === 'verifyAuthChallengeResponse').at(-1)?.reason
  return { h, sim, bridge, lastReason }
}

describe('session bridge through the Cognito loop', () => {
  it('trades a fresh ID token of the peer pool for a session here, once', async () => {
    const { h, bridge, lastReason } = setup()
    const token = await idToken(h.nowSeconds())
    expect(await bridge(token)).toEqual({ kind: 'tokens', username: USERNAME })
    expect(h.inbox).toHaveLength(0)
    expect(await bridge(token)).toMatchObject({ kind: 'error', type: 'NotAuthorizedException' })
    expect(lastReason()).toBe('token already used')
  })

  it('bridges one sign-in once into this pool, whichever of its tokens comes', async () => {
    const { h, bridge, lastReason } = setup()
    const signIn = { origin_jti: randomUUID(), auth_time: h.nowSeconds(), iat: h.nowSeconds() }
    expect(await bridge(await idToken(h.nowSeconds(), signIn))).toEqual({ kind: 'tokens', username: USERNAME })
    // Another first token of the same sign-in (a new jti, as a refresh in the same second would give).
    expect(await bridge(await idToken(h.nowSeconds(), signIn))).toMatchObject({ type: 'NotAuthorizedException' })
    expect(lastReason()).toBe('token already used')
  })

  it('bridges the same sign-in once more into another pool of the same deployment', async () => {
    const { h, bridge } = setup()
    const third = createSimulator(h.triggers, users, { userPoolId: 'ap-south-1_Third1', region: 'ap-south-1' })
    const token = await idToken(h.nowSeconds())
    expect(await bridge(token)).toEqual({ kind: 'tokens', username: USERNAME })
    expect(await bridge(token, EMAIL, third)).toEqual({ kind: 'tokens', username: USERNAME })
    expect(await bridge(token, EMAIL, third)).toMatchObject({ type: 'NotAuthorizedException' })
  })

  it('refuses a refreshed ID token: its iat is later than the sign-in it carries', async () => {
    const { h, bridge, lastReason } = setup()
    const now = h.nowSeconds()
    expect(await bridge(await idToken(now, { auth_time: now - 60, iat: now - 1 }))).toMatchObject({
      type: 'NotAuthorizedException',
    })
    expect(lastReason()).toBe('not the first ID token of its sign-in')
  })

  it.each([
    [
      'an untrusted pool',
      { iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Evil' },
      'untrusted issuer',
    ],
    ['the wrong audience', { aud: 'another-client' }, 'wrong audience'],
    ['an access token', { token_use: 'access' }, 'not an ID token'],
    ['another user', { 'cognito:username': usernameForEmail('grace@example.com') }, 'token is for another user'],
    ['a stale sign-in', { auth_time: -301 }, 'sign-in is too old'],
    ['an expired token', { exp: -1 }, 'expired'],
    ['no origin_jti', { origin_jti: undefined }, 'missing origin_jti'],
  ])('refuses a token from %s', async (_, overrides, reason) => {
    const { h, bridge, lastReason } = setup()
    const now = h.nowSeconds()
    const relative = Object.fromEntries(
      Object.entries(overrides).map(([k, v]) => [
        k,
        (k === 'auth_time' || k === 'exp') && typeof v === 'number' ? now + v : v,
      ]),
    )
    expect(await bridge(await idToken(now, relative))).toMatchObject({ type: 'NotAuthorizedException' })
    expect(lastReason()).toBe(reason)
  })

  it('refuses a token signed by a key that is not in the peer snapshot', async () => {
    const { h, bridge, lastReason } = setup()
    expect(await bridge(await idToken(h.nowSeconds(), {}, stranger))).toMatchObject({ type: 'NotAuthorizedException' })
    expect(lastReason()).toBe('bad signature')
  })

  it('never signs in an unknown user and does not spend the token', async () => {
    const { h, bridge } = setup()
    const token = await idToken(h.nowSeconds(), { 'cognito:username': 'nobody@example.org' })
    expect(await bridge(token, 'nobody@example.org')).toMatchObject({ type: 'NotAuthorizedException' })
    const { origin_jti: originJti } = JSON.parse(atob(token.split('.')[1] ?? ''))
    expect(await h.store.consume(bridgeSpendKey({ issuer: PEER_ISSUER, originJti }, POOL_ID), 0)).toBe(true)
  })

  it('refuses the bridge method when no peer is configured', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    const method = await sim.initiateAuth(EMAIL)
    if (method.kind !== 'challenge') throw new Error('no method step')
    const result = await sim.respond(method.session, '__method', { method: 'bridge' })
    expect(result.kind === 'error' && result.message).toMatch(/INVALID_METHOD: the session bridge is not enabled/)
  })
})

describe('checkBridgeClaims', () => {
  const now = 1_768_478_400
  const base = {
    iss: PEER_ISSUER,
    aud: PEER_CLIENT,
    token_use: 'id',
    'cognito:username': USERNAME,
    exp: now + 3600,
    auth_time: now - 10,
    iat: now - 10,
    origin_jti: 'o',
  }
  const rules = () => ({ username: USERNAME, pool: pool(), maxAgeSeconds: 300, now })

  it('accepts the first ID token of a recent sign-in and spends its sign-in until it is too old to bridge', () => {
    expect(checkBridgeClaims(base, rules())).toEqual({
      ok: true,
      issuer: PEER_ISSUER,
      originJti: 'o',
      until: now - 10 + 300 + 30,
    })
  })

  it('refuses a refreshed ID token (a later iat than auth_time) and one without iat', () => {
    const refused = { ok: false, reason: 'not the first ID token of its sign-in' }
    expect(checkBridgeClaims({ ...base, iat: now - 5 }, rules())).toEqual(refused)
    expect(checkBridgeClaims({ ...base, iat: undefined }, rules())).toEqual(refused)
    expect(checkBridgeClaims({ ...base, iat: String(now - 10) }, rules())).toEqual(refused)
  })

  it('refuses a token without a sign-in to spend', () => {
    expect(checkBridgeClaims({ ...base, origin_jti: '' }, rules())).toEqual({
      ok: false,
      reason: 'missing origin_jti',
    })
    expect(checkBridgeClaims({ ...base, origin_jti: 'x'.repeat(129) }, rules())).toMatchObject({ ok: false })
  })

  it('refuses an auth_time in the future beyond clock skew and a missing auth_time', () => {
    expect(checkBridgeClaims({ ...base, auth_time: now + 120 }, rules())).toEqual({
      ok: false,
      reason: 'auth_time in the future',
    })
    expect(checkBridgeClaims({ ...base, auth_time: undefined }, rules())).toEqual({
      ok: false,
      reason: 'missing auth_time',
    })
    expect(checkBridgeClaims(null, rules())).toMatchObject({ ok: false })
  })
})
