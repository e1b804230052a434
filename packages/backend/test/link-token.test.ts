import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { checkLinkClaims, type LinkClaims } from '../src/links/link-token.js'
import { createLocalLinkKeys } from '../src/links/local-link-keys.js'

const now = 1_768_478_400
const claims: LinkClaims = {
  sub: 'u_b5fc85e55755f9e0d030a10ab4429b6b',
  iat: now,
  exp: now + 900,
  jti: 'a1b2c3',
  iss: 'eu-west-1_Abc123',
  aud: 'regionless-test',
}
const rules = {
  username: claims.sub,
  audience: 'regionless-test',
  trustedPoolIds: ['eu-west-1_Abc123', 'us-east-1_Def456'],
  now: now + 60,
}

describe('local link keys', () => {
  it('sign and verify an ES256 token and expose only the public half', async () => {
    const generated = createLocalLinkKeys({ keyId: 'emulator' })
    const token = await generated.signer.sign(claims)
    expect(JSON.parse(atob(token.split('.')[0] ?? ''))).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'emulator' })
    expect(await generated.verifier.verify(token)).toEqual(claims)
    expect(generated.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: 'emulator' })
    expect(generated.publicJwk).not.toHaveProperty('d')
  })

  it('verify a token from another instance built from the same private JWK, and refuse a different key', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
    const regionA = createLocalLinkKeys({ privateJwk: jwk })
    const regionB = createLocalLinkKeys({ privateJwk: jwk })
    const token = await regionA.signer.sign(claims)
    expect(await regionB.verifier.verify(token)).toEqual(claims)
    await expect(createLocalLinkKeys().verifier.verify(token)).rejects.toThrow()
  })

  it('refuse a tampered token, an HS256 token and a public-only JWK as signing key', async () => {
    const keys = createLocalLinkKeys()
    const token = await keys.signer.sign(claims)
    const [h, p, s] = token.split('.')
    const tampered = `${h}.${p?.slice(0, -2)}${p?.endsWith('A') ? 'B' : 'A'}${p?.slice(-1)}.${s}`
    await expect(keys.verifier.verify(tampered)).rejects.toThrow()
    const hs = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32))
    await expect(keys.verifier.verify(hs)).rejects.toThrow(/unexpected algorithm/)
    expect(() => createLocalLinkKeys({ privateJwk: keys.publicJwk })).toThrow(TypeError)
  })
})

describe('checkLinkClaims', () => {
  it('accepts a link from any pool of the deployment', () => {
    expect(checkLinkClaims(claims, rules)).toEqual({ ok: true, claims })
    expect(checkLinkClaims({ ...claims, iss: 'us-east-1_Def456' }, rules)).toMatchObject({ ok: true })
  })

  it.each([
    ['signed for another pool', { iss: 'eu-central-1_Other' }, 'untrusted issuer'],
    ['for another audience', { aud: 'another-deployment' }, 'wrong audience'],
    ['for another user', { sub: 'u_00000000000000000000000000000000' }, 'link is for another user'],
    ['expired', { exp: now + 60 }, 'expired'],
    ['valid longer than 15 minutes', { exp: now + 901 }, 'lifetime longer than 15 minutes'],
    ['issued in the future', { iat: now + 200, exp: now + 300 }, 'issued in the future'],
    ['without jti', { jti: '' }, 'missing jti'],
    ['without exp', { exp: undefined }, 'missing iat or exp'],
    ['with a string exp', { exp: String(now + 900) }, 'missing iat or exp'],
  ])('refuses a link %s', (_, overrides, reason) => {
    expect(checkLinkClaims({ ...claims, ...overrides }, rules)).toEqual({ ok: false, reason })
  })
})
