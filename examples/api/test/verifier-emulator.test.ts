import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { createVerifier, isTokenError } from '@regionless/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { loadPoolsFromEmulator, startExampleApi } from '../src/server.js'
import { signIn } from './helpers/sign-in.js'

// The verifier against the emulator's real tokens, in both topologies: the
// tokens carry Cognito's real issuers, so the production checks all apply.

describe('verifier × emulator, pools topology', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, topology: 'pools', log: () => {} })
  })
  afterAll(() => emulator?.close())

  it('accepts access and ID tokens of every pool, with the same userId', async () => {
    const pools = await loadPoolsFromEmulator(emulator.controlUrl)
    const verifier = createVerifier({ tokenUse: 'any', pools })
    const eu = await signIn(emulator, 'pools-a@example.com', 'eu-west-1')
    const us = await signIn(emulator, 'pools-a@example.com', 'us-east-1')
    expect([eu.region, us.region]).toEqual(['eu-west-1', 'us-east-1'])
    const results = await Promise.all(
      [eu, us].flatMap((s) => [verifier.verify(s.tokens.accessToken), verifier.verify(s.tokens.idToken)]),
    )
    expect(new Set(results.map((r) => r.userId)).size).toBe(1)
    expect(results.map((r) => `${r.region}/${r.tokenUse}`)).toEqual([
      'eu-west-1/access',
      'eu-west-1/id',
      'us-east-1/access',
      'us-east-1/id',
    ])
    expect(results[1]!.email).toBe('pools-a@example.com')
  })

  it('keeps verifying from a snapshot while the issuing region is down; without one it cannot', async () => {
    const session = await signIn(emulator, 'pools-b@example.com', 'eu-west-1')
    const pools = await loadPoolsFromEmulator(emulator.controlUrl)
    const withSnapshot = createVerifier({ tokenUse: 'access', pools })
    const withoutSnapshot = createVerifier({
      tokenUse: 'access',
      pools: pools.map(({ jwks: _jwks, ...pool }) => pool),
      jwksTimeoutMs: 1_000,
    })
    await emulator.setFault({ region: 'eu-west-1', mode: 'down' })
    try {
      await expect(withSnapshot.verify(session.tokens.accessToken)).resolves.toMatchObject({ region: 'eu-west-1' })
      const error = await rejectionOf(withoutSnapshot.verify(session.tokens.accessToken))
      expect(isTokenError(error) && error.code).toMatch(/^JWKS_/)
    } finally {
      await emulator.setFault({ region: 'eu-west-1', mode: 'healthy' })
    }
  })

  it('rejects a token of a pool the API does not trust', async () => {
    const session = await signIn(emulator, 'pools-c@example.com', 'eu-west-1')
    const pools = await loadPoolsFromEmulator(emulator.controlUrl)
    const onlyUs = createVerifier({ tokenUse: 'access', pools: pools.filter((p) => p.region === 'us-east-1') })
    await expect(onlyUs.verify(session.tokens.accessToken)).rejects.toMatchObject({ code: 'ISSUER_NOT_TRUSTED' })
  })

  it('the example API answers for a token of the other region, and 401 without one', async () => {
    const session = await signIn(emulator, 'pools-d@example.com', 'eu-west-1')
    const api = await startExampleApi({ region: 'us-east-1', pools: await loadPoolsFromEmulator(emulator.controlUrl) })
    try {
      const ok = await fetch(`${api.url}/whoami`, {
        headers: { authorization: `Bearer ${session.tokens.accessToken}` },
      })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toMatchObject({
        userId: session.userId,
        apiRegion: 'us-east-1',
        tokenRegion: 'eu-west-1',
      })
      const missing = await fetch(`${api.url}/whoami`)
      expect(missing.status).toBe(401)
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
      const forged = await fetch(`${api.url}/whoami`, {
        headers: { authorization: `Bearer ${session.tokens.accessToken.slice(0, -4)}AAAA` },
      })
      expect(forged.status).toBe(401)
    } finally {
      await api.close()
    }
  })
})

describe('verifier × emulator, replicas topology', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, topology: 'replicas', log: () => {} })
  })
  afterAll(() => emulator?.close())

  it('verifies tokens with the multi-region issuer from either replica’s JWKS', async () => {
    const [primary, secondary] = emulator.config.regions
    expect(primary!.userPoolId).toBe(secondary!.userPoolId)
    expect(primary!.issuer).toMatch(/^https:\/\/issuer-cognito-idp\.eu-west-1\.amazonaws\.com\//)
    const session = await signIn(emulator, 'replica@example.com')
    const verifier = createVerifier({
      tokenUse: 'access',
      pools: emulator.config.regions.map((r) => ({ ...r, jwksUri: r.jwksUri })),
    })
    const who = await verifier.verify(session.tokens.accessToken)
    expect(who).toMatchObject({ issuer: primary!.issuer, userPoolId: primary!.userPoolId, userId: session.userId })
    // With the primary down, the secondary's JWKS serves the same keys.
    await emulator.setFault({ region: 'eu-west-1', mode: 'down' })
    try {
      const fresh = createVerifier({ tokenUse: 'id', pools: emulator.config.regions })
      await expect(fresh.verify(session.tokens.idToken)).resolves.toMatchObject({ userId: session.userId })
    } finally {
      await emulator.setFault({ region: 'eu-west-1', mode: 'healthy' })
    }
  })
})
