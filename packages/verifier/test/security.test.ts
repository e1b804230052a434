// The security suite: each forged or damaged token is rejected with its own code, and nothing crashes.
import { createHmac, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { createVerifier, isTokenError, type VerifierErrorCode } from '../src/index.js'
import { createTestPool, signJwt } from './helpers/cognito-pool.js'

const a = createTestPool('eu-west-1')
const b = createTestPool('us-east-1')
const third = createTestPool('ap-southeast-2') // a real Cognito pool we were never told to trust
const verifier = createVerifier({
  pools: [a, b].map((p) => ({ userPoolId: p.userPoolId, clientId: p.clientId, jwks: p.jwks })),
  tokenUse: 'access',
})
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const now = Math.floor(Date.now() / 1000)

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())
}

async function codeOf(token: unknown): Promise<VerifierErrorCode> {
  const outcome = await rejectionOf(() => verifier.verify(token as string))
  if (!isTokenError(outcome)) throw new Error(`expected a TokenError, got ${String(outcome)}`)
  return outcome.code
}

describe('forged tokens', () => {
  it('rejects alg none (unsigned)', async () => {
    const token = `${b64({ alg: 'none', kid: a.key.kid })}.${b64(claimsOf(a.accessToken()))}.`
    expect(await codeOf(token)).toBe('TOKEN_MALFORMED') // an empty signature is not a compact JWS
    expect(await codeOf(`${token}AA`)).toBe('ALG_NOT_ALLOWED')
  })

  it('rejects HS256 signed with the public key as the HMAC secret', async () => {
    const input = `${b64({ alg: 'HS256', kid: a.key.kid })}.${b64(claimsOf(a.accessToken()))}`
    const secret = a.key.publicKey.export({ format: 'pem', type: 'spki' })
    const mac = createHmac('sha256', secret).update(input).digest('base64url')
    expect(await codeOf(`${input}.${mac}`)).toBe('ALG_NOT_ALLOWED')
  })

  it('rejects a kid the issuer does not publish', async () => {
    const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const token = signJwt({ alg: 'RS256', kid: 'rogue' }, claimsOf(a.accessToken()), rogue.privateKey)
    expect(await codeOf(token)).toBe('KID_UNKNOWN')
  })

  it("rejects pool A's kid under pool B's issuer (keys are looked up per issuer)", async () => {
    const claims = { ...claimsOf(a.accessToken()), iss: b.issuer, client_id: b.clientId }
    expect(await codeOf(signJwt({ alg: 'RS256', kid: a.key.kid }, claims, a.key.privateKey))).toBe('KID_UNKNOWN')
  })

  it("rejects pool A's key signing under pool B's kid and issuer", async () => {
    const claims = { ...claimsOf(a.accessToken()), iss: b.issuer, client_id: b.clientId }
    expect(await codeOf(signJwt({ alg: 'RS256', kid: b.key.kid }, claims, a.key.privateKey))).toBe('SIGNATURE_INVALID')
  })

  it("rejects a third pool's genuine token", async () => {
    expect(await codeOf(third.accessToken())).toBe('ISSUER_NOT_TRUSTED')
  })

  it('rejects an issuer that only looks like a trusted one', async () => {
    for (const iss of [`${a.issuer}/`, a.issuer.toUpperCase(), `${a.issuer}.evil.example`, undefined, 42]) {
      const token = a.accessToken({ claims: { iss } })
      expect(await codeOf(token)).toBe('ISSUER_NOT_TRUSTED')
    }
  })

  it('rejects a bad signature', async () => {
    const token = a.accessToken()
    const tampered = token.slice(0, -6) + (token.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA')
    expect(await codeOf(tampered)).toBe('SIGNATURE_INVALID')
    const swapped = `${token.split('.').slice(0, 2).join('.')}.${b.accessToken().split('.')[2]}`
    expect(await codeOf(swapped)).toBe('SIGNATURE_INVALID')
  })

  it('rejects a payload changed after signing', async () => {
    const [h, , s] = a.accessToken().split('.')
    const elevated = { ...claimsOf(a.accessToken()), 'cognito:groups': ['admin'] }
    expect(await codeOf(`${h}.${b64(elevated)}.${s}`)).toBe('SIGNATURE_INVALID')
  })
})

describe('genuine tokens used where they do not belong', () => {
  it('rejects a wrong client_id on access tokens and a wrong aud on ID tokens', async () => {
    expect(await codeOf(a.accessToken({ claims: { client_id: b.clientId } }))).toBe('CLIENT_ID_MISMATCH')
    const ids = createVerifier({
      pools: [{ userPoolId: a.userPoolId, clientId: a.clientId, jwks: a.jwks }],
      tokenUse: 'id',
    })
    const error = await rejectionOf(ids.verify(a.idToken({ claims: { aud: 'someone-else' } })))
    expect(error).toMatchObject({ code: 'AUDIENCE_MISMATCH', expected: [a.clientId], found: 'someone-else' })
  })

  it('rejects the wrong token_use', async () => {
    expect(await codeOf(a.idToken())).toBe('TOKEN_USE_MISMATCH')
    expect(await codeOf(a.accessToken({ claims: { token_use: 'refresh' } }))).toBe('TOKEN_USE_MISMATCH')
  })

  it('rejects expired tokens, tokens before nbf and tokens issued in the future', async () => {
    expect(await codeOf(a.accessToken({ now: now - 7200 }))).toBe('TOKEN_EXPIRED')
    expect(await codeOf(a.accessToken({ claims: { nbf: now + 600 } }))).toBe('TOKEN_NOT_YET_VALID')
    expect(await codeOf(a.accessToken({ claims: { iat: now + 600 } }))).toBe('TOKEN_NOT_YET_VALID')
  })

  it('rejects tokens without a numeric exp or without a username', async () => {
    expect(await codeOf(a.accessToken({ claims: { exp: undefined } }))).toBe('CLAIM_INVALID')
    expect(await codeOf(a.accessToken({ claims: { exp: '9999999999' } }))).toBe('CLAIM_INVALID')
    expect(await codeOf(a.accessToken({ claims: { username: undefined } }))).toBe('CLAIM_INVALID')
  })
})

describe('damaged input', () => {
  const good = a.accessToken()
  it.each([
    ['truncated', good.slice(0, good.length / 2), 'TOKEN_MALFORMED'],
    ['cut at a dot', good.slice(0, good.lastIndexOf('.')), 'TOKEN_MALFORMED'],
    ['oversized', `${good}${'A'.repeat(20_000)}`, 'TOKEN_TOO_LARGE'],
    ['non-base64url', good.replace('.', '.+/'), 'TOKEN_MALFORMED'],
    ['non-JSON payload', `${good.split('.')[0]}.${b64('not json')}.${good.split('.')[2]}`, 'TOKEN_MALFORMED'],
    ['non-JSON header', `${b64('{"alg":')}.${good.split('.')[1]}.${good.split('.')[2]}`, 'TOKEN_MALFORMED'],
    ['a JSON array payload', `${good.split('.')[0]}.${b64([1])}.${good.split('.')[2]}`, 'TOKEN_MALFORMED'],
    ['empty', '', 'TOKEN_MALFORMED'],
    ['not a string', 42, 'TOKEN_MALFORMED'],
    ['non-ASCII', `${good}é`, 'TOKEN_MALFORMED'],
    // Node's decoder reads the low byte of a wide character: U+0141 would decode like "A".
    ['a wide character standing in for a base64 letter', good.replace(/A/, '\u0141'), 'TOKEN_MALFORMED'],
    ['a character the decoder would skip', good.replace('.', '.!'), 'TOKEN_MALFORMED'],
    ['whitespace inside', good.replace('.', '. '), 'TOKEN_MALFORMED'],
    ['base64 padding', `${good}==`, 'TOKEN_MALFORMED'],
    ['standard base64 alphabet', good.replace(/_|-/, '/'), 'TOKEN_MALFORMED'],
    [
      'a signature of impossible length',
      `${good}A`.slice(0, good.length - ((good.length - good.lastIndexOf('.') - 1) % 4) + 1),
      'TOKEN_MALFORMED',
    ],
    ['four parts', `${good}.${good.split('.')[2]}`, 'TOKEN_MALFORMED'],
    ['no kid', signJwt({ alg: 'RS256' }, claimsOf(good), a.key.privateKey), 'KID_MISSING'],
    [
      'a crit header',
      signJwt({ alg: 'RS256', kid: a.key.kid, crit: ['exp'] }, claimsOf(good), a.key.privateKey),
      'TOKEN_MALFORMED',
    ],
  ])('rejects %s', async (_name, token, code) => {
    expect(await codeOf(token)).toBe(code)
  })

  it('rejects duplicate keys in the payload, even when the signature is valid', async () => {
    // JSON.parse would keep the last "username": a signer and a verifier could read different users.
    const text = JSON.stringify(claimsOf(good)).replace(/}$/, ',"username":"u_attacker"}')
    const input = `${b64({ alg: 'RS256', kid: a.key.kid })}.${b64(text)}`
    const { sign } = await import('node:crypto')
    const token = `${input}.${sign('RSA-SHA256', Buffer.from(input), a.key.privateKey).toString('base64url')}`
    expect(await codeOf(token)).toBe('TOKEN_DUPLICATE_KEY')
  })

  it('rejects duplicate keys in the header', async () => {
    const header = `{"alg":"RS256","kid":"${a.key.kid}","alg":"RS256"}`
    const [, p, s] = good.split('.')
    expect(await codeOf(`${b64(header)}.${p}.${s}`)).toBe('TOKEN_DUPLICATE_KEY')
  })

  it('survives a burst of random garbage', async () => {
    for (let i = 0; i < 200; i++) {
      const parts = Array.from({ length: 1 + (i % 4) }, () =>
        Buffer.from(Math.random().toString(36)).toString('base64url'),
      )
      expect(await codeOf(parts.join('.'))).toMatch(/TOKEN_MALFORMED|TOKEN_DUPLICATE_KEY/)
    }
  })
})
