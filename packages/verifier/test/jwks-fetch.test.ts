// Key downloads against a real HTTP server on 127.0.0.1: time-out, size cap, garbage, refetch on an
// unknown kid with a penalty box, and isolation between pools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { createVerifier, type TokenError } from '../src/index.js'
import { createTestPool } from './helpers/cognito-pool.js'
import { type JwksServer, json, startJwksServer } from './helpers/jwks-server.js'

let server: JwksServer
beforeAll(async () => {
  server = await startJwksServer()
})
afterAll(() => server.close())

function poolAt(path: string, region = 'eu-west-1') {
  const pool = createTestPool(region)
  server.route(
    path,
    json(() => pool.jwks),
  )
  return { pool, config: { userPoolId: pool.userPoolId, clientId: pool.clientId, jwksUri: server.url(path) } }
}

const failure = async (promise: Promise<unknown>) => (await rejectionOf(promise)) as TokenError

describe('JWKS download', () => {
  it('downloads once, then serves from the KeyObject cache', async () => {
    const { pool, config } = poolAt('/once')
    const verifier = createVerifier({ pools: [config], tokenUse: 'access', cache: false })
    await Promise.all([verifier.verify(pool.accessToken()), verifier.verify(pool.accessToken())])
    await verifier.verify(pool.accessToken())
    expect(server.hits.get('/once')).toBe(1)
  })

  it('refetches on an unknown kid after a rotation, but only once per penalty interval', async () => {
    const { pool, config } = poolAt('/rotate')
    let now = 1_800_000_000_000
    const verifier = createVerifier({
      pools: [config],
      tokenUse: 'access',
      clock: () => now,
      jwksMinRefetchIntervalMs: 10_000,
    })
    const t = now / 1000
    await verifier.verify(pool.accessToken({ now: t }))
    now += 60_000
    pool.rotate()
    await expect(verifier.verify(pool.accessToken({ now: t + 60, useNextKey: true }))).resolves.toBeTruthy()
    expect(server.hits.get('/rotate')).toBe(2)
    // A flood of unknown kids inside the penalty interval causes no download.
    const forged = pool.accessToken({ now: t + 60, header: { kid: 'nope' } })
    for (let i = 0; i < 5; i++) expect((await failure(verifier.verify(forged))).code).toBe('KID_UNKNOWN')
    expect(server.hits.get('/rotate')).toBe(2)
    now += 10_000
    expect((await failure(verifier.verify(forged))).code).toBe('KID_UNKNOWN')
    expect(server.hits.get('/rotate')).toBe(3)
  })

  it('gives up on an endpoint that never answers (JWKS_TIMEOUT)', async () => {
    const pool = createTestPool()
    server.route('/hang', () => {}) // accept, never answer
    const verifier = createVerifier({
      pools: [{ userPoolId: pool.userPoolId, clientId: pool.clientId, jwksUri: server.url('/hang') }],
      tokenUse: 'access',
      jwksTimeoutMs: 150,
    })
    const error = await failure(verifier.verify(pool.accessToken()))
    expect(error).toMatchObject({ code: 'JWKS_TIMEOUT', expected: 150 })
  })

  it('times out a body that starts and then stalls', async () => {
    const pool = createTestPool()
    server.route('/stall', (_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.write('{"keys":[')
    })
    const verifier = createVerifier({
      pools: [{ userPoolId: pool.userPoolId, clientId: pool.clientId, jwksUri: server.url('/stall') }],
      tokenUse: 'access',
      jwksTimeoutMs: 150,
    })
    expect((await failure(verifier.verify(pool.accessToken()))).code).toBe('JWKS_TIMEOUT')
  })

  it.each([
    ['garbage', (res: import('node:http').ServerResponse) => res.end('<html>oops</html>'), 'JWKS_INVALID'],
    ['JSON without keys', (res: import('node:http').ServerResponse) => res.end('{"kids":[]}'), 'JWKS_INVALID'],
    [
      'keys without kid',
      (res: import('node:http').ServerResponse) => res.end('{"keys":[{"kty":"RSA"}]}'),
      'JWKS_INVALID',
    ],
    [
      'HTTP 500',
      (res: import('node:http').ServerResponse) => {
        res.statusCode = 500
        res.end('{}')
      },
      'JWKS_FETCH_FAILED',
    ],
    [
      'a huge declared body',
      (res: import('node:http').ServerResponse) => {
        res.setHeader('content-length', String(10 * 1024 * 1024))
        res.write('{"keys":[')
      },
      'JWKS_TOO_LARGE',
    ],
    [
      'a huge chunked body',
      (res: import('node:http').ServerResponse) => {
        const chunk = ' '.repeat(16 * 1024)
        res.write('{"keys":[]')
        for (let i = 0; i < 64; i++) res.write(chunk)
        res.end('}')
      },
      'JWKS_TOO_LARGE',
    ],
  ])('rejects %s', async (name, handler, code) => {
    const pool = createTestPool()
    const path = `/bad-${name.replaceAll(' ', '-')}`
    server.route(path, (_req, res) => handler(res))
    const verifier = createVerifier({
      pools: [{ userPoolId: pool.userPoolId, clientId: pool.clientId, jwksUri: server.url(path) }],
      tokenUse: 'access',
      jwksTimeoutMs: 2000,
    })
    expect((await failure(verifier.verify(pool.accessToken()))).code).toBe(code)
  })

  it('retries once when the connection drops before any answer', async () => {
    const pool = createTestPool()
    let requests = 0
    server.route('/drop-once', (req, res) => {
      if (++requests === 1) return req.socket.destroy()
      json(() => pool.jwks)(req, res)
    })
    const verifier = createVerifier({
      pools: [{ userPoolId: pool.userPoolId, clientId: pool.clientId, jwksUri: server.url('/drop-once') }],
      tokenUse: 'access',
    })
    await expect(verifier.verify(pool.accessToken())).resolves.toMatchObject({ userPoolId: pool.userPoolId })
    expect(requests).toBe(2)
  })

  it('reports a refused connection as JWKS_FETCH_FAILED', async () => {
    const pool = createTestPool()
    const verifier = createVerifier({
      pools: [{ userPoolId: pool.userPoolId, clientId: pool.clientId, jwksUri: 'http://127.0.0.1:1/jwks.json' }],
      tokenUse: 'access',
    })
    expect((await failure(verifier.verify(pool.accessToken()))).code).toBe('JWKS_FETCH_FAILED')
  })

  it('refuses a published key that is too short for RS256', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const pool = createTestPool()
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' })
    const verifier = createVerifier({
      pools: [
        {
          userPoolId: pool.userPoolId,
          clientId: pool.clientId,
          jwks: { keys: [{ ...weak, kid: pool.key.kid, kty: 'RSA' }] },
        },
      ],
      tokenUse: 'access',
    })
    expect((await failure(verifier.verify(pool.accessToken()))).code).toBe('JWKS_INVALID')
  })
})

describe('isolation between pools', () => {
  it("verifies pool B's tokens while pool A's endpoint hangs", async () => {
    const slow = createTestPool('eu-west-1')
    const held: Array<import('node:http').ServerResponse> = []
    let arrived: () => void = () => {}
    const aRequested = new Promise<void>((resolve) => {
      arrived = resolve
    })
    server.route('/a-hangs', (_req, res) => {
      held.push(res) // no answer until pool B's token has been verified
      arrived()
    })
    const { pool: healthy, config } = poolAt('/b-answers', 'us-east-1')
    const verifier = createVerifier({
      pools: [{ userPoolId: slow.userPoolId, clientId: slow.clientId, jwksUri: server.url('/a-hangs') }, config],
      tokenUse: 'access',
      jwksTimeoutMs: 60_000,
    })
    let aSettled = false
    const pendingA = failure(verifier.verify(slow.accessToken())).finally(() => {
      aSettled = true
    })
    await aRequested
    await expect(verifier.verify(healthy.accessToken())).resolves.toMatchObject({ userPoolId: healthy.userPoolId })
    expect(aSettled).toBe(false)
    for (const res of held) {
      res.statusCode = 503
      res.end()
    }
    expect((await pendingA).code).toBe('JWKS_FETCH_FAILED')
  })

  it('falls back to a second replica endpoint when the first is down', async () => {
    const pool = createTestPool('eu-west-1', {
      issuer: 'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Rep',
      userPoolId: 'eu-west-1_Rep',
    })
    server.route(
      '/replica-b',
      json(() => pool.jwks),
    )
    const base = { userPoolId: pool.userPoolId, clientId: pool.clientId, issuer: pool.issuer }
    const verifier = createVerifier({
      pools: [
        { ...base, jwksUri: 'http://127.0.0.1:1/down.json' },
        { ...base, region: 'us-east-1', jwksUri: server.url('/replica-b') },
      ],
      tokenUse: 'access',
    })
    await expect(verifier.verify(pool.accessToken())).resolves.toMatchObject({ issuer: pool.issuer })
  })

  it('never downloads when a snapshot is the only source, and preload reports each source', async () => {
    const pool = createTestPool()
    const fetchSpy = () => Promise.reject(new Error('network must not be used'))
    const verifier = createVerifier({
      pools: [{ userPoolId: pool.userPoolId, clientId: pool.clientId, jwks: pool.jwks }],
      tokenUse: 'access',
      fetch: fetchSpy,
    })
    expect((await failure(verifier.verify(pool.accessToken({ useNextKey: true })))).code).toBe('KID_UNKNOWN')
    expect(await verifier.preload()).toEqual([
      { jwksUri: `${pool.issuer}/.well-known/jwks.json` },
      { jwksUri: `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${pool.userPoolId}/.well-known/jwks.json` },
    ])
  })

  it('starts from a snapshot and refreshes from an explicit jwksUri on an unknown kid', async () => {
    const { pool, config } = poolAt('/snapshot-plus-uri')
    const snapshot = { keys: [...pool.jwks.keys] }
    pool.rotate()
    const verifier = createVerifier({ pools: [{ ...config, jwks: snapshot }], tokenUse: 'access' })
    await verifier.verify(pool.accessToken())
    expect(server.hits.get('/snapshot-plus-uri')).toBeUndefined()
    await verifier.verify(pool.accessToken({ useNextKey: true }))
    expect(server.hits.get('/snapshot-plus-uri')).toBe(1)
  })
})
