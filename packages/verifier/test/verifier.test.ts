import { describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { createVerifier, isTokenError, type TokenError } from '../src/index.js'
import { createTestPool, usernameForEmail } from './helpers/cognito-pool.js'

const eu = createTestPool('eu-west-1')
const us = createTestPool('us-east-1')
const pools = [eu, us].map((p) => ({ userPoolId: p.userPoolId, clientId: p.clientId, jwks: p.jwks }))

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await rejectionOf(promise)
  if (!isTokenError(error)) throw new Error(`expected a TokenError, got ${String(error)}`)
  return error
}

describe('createVerifier (pools topology)', () => {
  it('accepts an access token of each pool and reports the same userId for one person', async () => {
    const verifier = createVerifier({ pools, tokenUse: 'access' })
    const a = await verifier.verify(eu.accessToken({ email: 'ada@example.com' }))
    const b = await verifier.verify(us.accessToken({ email: ' ADA@example.com ' }))
    expect(a).toMatchObject({
      userId: usernameForEmail('ada@example.com'),
      tokenUse: 'access',
      issuer: eu.issuer,
      userPoolId: eu.userPoolId,
      region: 'eu-west-1',
    })
    expect(b).toMatchObject({ userPoolId: us.userPoolId, region: 'us-east-1', issuer: us.issuer })
    expect(b.userId).toBe(a.userId)
    expect(a.claims.sub).not.toBe(b.claims.sub)
    expect(a.email).toBeUndefined()
  })

  it('reads username, email and audience from ID tokens', async () => {
    const verifier = createVerifier({ pools, tokenUse: 'id' })
    const who = await verifier.verify(us.idToken({ email: 'grace@example.com' }))
    expect(who).toMatchObject({
      userId: usernameForEmail('grace@example.com'),
      username: usernameForEmail('grace@example.com'),
      email: 'grace@example.com',
      tokenUse: 'id',
      region: 'us-east-1',
    })
    expect(who.claims.aud).toBe(us.clientId)
  })

  it("accepts both kinds with tokenUse 'any'", async () => {
    const verifier = createVerifier({ pools, tokenUse: 'any' })
    expect((await verifier.verify(eu.idToken())).tokenUse).toBe('id')
    expect((await verifier.verify(eu.accessToken())).tokenUse).toBe('access')
  })

  it('accepts any of several client ids of a pool', async () => {
    const verifier = createVerifier({
      pools: [{ userPoolId: eu.userPoolId, clientId: ['other-client', eu.clientId], jwks: eu.jwks }],
      tokenUse: 'access',
    })
    await expect(verifier.verify(eu.accessToken())).resolves.toMatchObject({ userPoolId: eu.userPoolId })
  })

  it('returns frozen results so a cached answer cannot be altered by one caller', async () => {
    const verifier = createVerifier({ pools, tokenUse: 'access' })
    const who = await verifier.verify(eu.accessToken())
    expect(Object.isFrozen(who)).toBe(true)
    expect(Object.isFrozen(who.claims)).toBe(true)
  })
})

describe('createVerifier (replicas topology)', () => {
  // One pool id, one multi-region issuer named after the primary region, a replica in a second region.
  const primary = createTestPool('eu-west-1', {
    issuer: 'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Replica01',
    userPoolId: 'eu-west-1_Replica01',
  })

  it('accepts a replica token under the shared issuer and names the first matching entry', async () => {
    const verifier = createVerifier({
      pools: [
        { userPoolId: primary.userPoolId, clientId: primary.clientId, issuer: primary.issuer, jwks: primary.jwks },
        {
          userPoolId: primary.userPoolId,
          clientId: primary.clientId,
          region: 'us-east-1',
          issuer: primary.issuer,
          jwks: primary.jwks,
        },
      ],
      tokenUse: 'access',
    })
    await expect(verifier.verify(primary.accessToken())).resolves.toMatchObject({
      issuer: primary.issuer,
      userPoolId: 'eu-west-1_Replica01',
      region: 'eu-west-1',
    })
  })

  it('accepts the multi-region issuer by default when no issuer is configured', async () => {
    const verifier = createVerifier({
      pools: [{ userPoolId: primary.userPoolId, clientId: primary.clientId, jwks: primary.jwks }],
      tokenUse: 'any',
    })
    await expect(verifier.verify(primary.idToken())).resolves.toMatchObject({ issuer: primary.issuer })
  })

  it('reports the region of the entry whose app client matches', async () => {
    const verifier = createVerifier({
      pools: [
        { userPoolId: primary.userPoolId, clientId: 'eu-only-client', issuer: primary.issuer, jwks: primary.jwks },
        {
          userPoolId: primary.userPoolId,
          clientId: primary.clientId,
          region: 'us-east-1',
          issuer: primary.issuer,
          jwks: primary.jwks,
        },
      ],
      tokenUse: 'access',
    })
    expect((await verifier.verify(primary.accessToken())).region).toBe('us-east-1')
  })
})

describe('verified-token cache', () => {
  it('answers a repeated token from the cache but never past exp', async () => {
    let now = 1_800_000_000_000
    const verifier = createVerifier({ pools, tokenUse: 'access', clock: () => now, clockSkewSeconds: 0 })
    const token = eu.accessToken({ now: now / 1000 })
    const first = await verifier.verify(token)
    // The first repeat builds the cached result; later repeats return that same object.
    const cached = await verifier.verify(token)
    expect(cached).toEqual(first)
    expect(await verifier.verify(token)).toBe(cached)
    now += 3599_000
    expect(await verifier.verify(token)).toBe(cached)
    now += 1000
    expect((await rejection(verifier.verify(token))).code).toBe('TOKEN_EXPIRED')
    // Still expired when asked again: the entry was dropped, the full check runs and rejects.
    expect((await rejection(verifier.verify(token))).code).toBe('TOKEN_EXPIRED')
  })

  it('re-checks nbf on a cache hit', async () => {
    let now = 1_800_000_000_000
    const verifier = createVerifier({ pools, tokenUse: 'access', clock: () => now, clockSkewSeconds: 0 })
    const token = eu.accessToken({ now: now / 1000, claims: { nbf: now / 1000 } })
    await verifier.verify(token)
    now -= 5000 // the clock stepped back
    expect((await rejection(verifier.verify(token))).code).toBe('TOKEN_NOT_YET_VALID')
  })

  it('returns a new result each time when the cache is off', async () => {
    const verifier = createVerifier({ pools, tokenUse: 'access', cache: false })
    const token = eu.accessToken()
    expect(await verifier.verify(token)).not.toBe(await verifier.verify(token))
  })

  it('honours clockSkewSeconds for exp', async () => {
    const now = 1_800_000_000
    const verifier = createVerifier({
      pools,
      tokenUse: 'access',
      clock: () => (now + 3600 + 20) * 1000,
      clockSkewSeconds: 30,
    })
    await expect(verifier.verify(eu.accessToken({ now }))).resolves.toMatchObject({ userPoolId: eu.userPoolId })
    const strict = createVerifier({
      pools,
      tokenUse: 'access',
      clock: () => (now + 3600 + 20) * 1000,
      clockSkewSeconds: 0,
    })
    expect((await rejection(strict.verify(eu.accessToken({ now })))).code).toBe('TOKEN_EXPIRED')
  })
})

describe('verifySync', () => {
  it('verifies from a snapshot without I/O', () => {
    const verifier = createVerifier({ pools, tokenUse: 'access' })
    expect(verifier.verifySync(us.accessToken()).region).toBe('us-east-1')
  })

  it('throws KID_UNKNOWN when the key is not loaded', () => {
    const verifier = createVerifier({ pools, tokenUse: 'access' })
    expect(() => verifier.verifySync(eu.accessToken({ useNextKey: true }))).toThrow(
      expect.objectContaining({ code: 'KID_UNKNOWN' }),
    )
  })
})

describe('groups and scopes', () => {
  it('requires one of the configured groups', async () => {
    const verifier = createVerifier({ pools, tokenUse: 'id', groups: ['admin', 'ops'] })
    await expect(verifier.verify(eu.idToken({ claims: { 'cognito:groups': ['ops'] } }))).resolves.toBeTruthy()
    const error = await rejection(verifier.verify(eu.idToken({ claims: { 'cognito:groups': ['users'] } })))
    expect(error).toMatchObject({ code: 'GROUP_MISSING', expected: ['admin', 'ops'], found: ['users'] })
    expect((await rejection(verifier.verify(eu.idToken()))).code).toBe('GROUP_MISSING')
  })

  it('requires one of the configured scopes on access tokens', async () => {
    const verifier = createVerifier({ pools, tokenUse: 'access', scopes: ['orders/read'] })
    await expect(verifier.verify(eu.accessToken({ claims: { scope: 'openid orders/read' } }))).resolves.toBeTruthy()
    const error = await rejection(verifier.verify(eu.accessToken()))
    expect(error).toMatchObject({ code: 'SCOPE_MISSING', found: ['aws.cognito.signin.user.admin'] })
  })
})
