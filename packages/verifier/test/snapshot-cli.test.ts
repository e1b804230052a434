import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli-main.js'
import { createJwksSnapshot, createVerifier, type JwksSnapshot, withSnapshot } from '../src/index.js'
import { createTestPool } from './helpers/cognito-pool.js'
import { type JwksServer, json, startJwksServer } from './helpers/jwks-server.js'

let server: JwksServer
const eu = createTestPool('eu-west-1')
const us = createTestPool('us-east-1')
beforeAll(async () => {
  server = await startJwksServer()
  server.route(
    '/eu',
    json(() => eu.jwks),
  )
  server.route(
    '/us',
    json(() => us.jwks),
  )
})
afterAll(() => server.close())

function io() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t
      },
      stderr: (t: string) => {
        out.stderr += t
      },
    },
  }
}

describe('regionless-verifier snapshot', () => {
  it('writes a snapshot file that a verifier starts from with no network', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verifier-snapshot-'))
    const file = join(dir, 'jwks.json')
    const { out, io: cliIo } = io()
    const code = await runCli(
      [
        'snapshot',
        '--pool',
        `${eu.userPoolId},${us.userPoolId}`,
        '--jwks-uri',
        `${server.url('/eu')},${server.url('/us')}`,
        '--out',
        file,
      ],
      cliIo,
    )
    expect(code).toBe(0)
    expect(out.stderr).toContain('2 pool(s), 2 key(s)')
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as JwksSnapshot
    expect(snapshot.pools.map((p) => [p.userPoolId, p.region, p.issuer])).toEqual([
      [eu.userPoolId, 'eu-west-1', eu.issuer],
      [us.userPoolId, 'us-east-1', us.issuer],
    ])

    const pools = withSnapshot(
      [eu, us].map((p) => ({ userPoolId: p.userPoolId, clientId: p.clientId })),
      snapshot,
    )
    const verifier = createVerifier({
      pools,
      tokenUse: 'id',
      fetch: () => Promise.reject(new Error('no network during an outage')),
    })
    await expect(verifier.verify(us.idToken())).resolves.toMatchObject({ region: 'us-east-1' })
    await expect(verifier.verify(eu.idToken())).resolves.toMatchObject({ region: 'eu-west-1' })
  })

  it('prints to stdout without --out, with a replica issuer override', async () => {
    const { out, io: cliIo } = io()
    const issuer = `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${eu.userPoolId}`
    const code = await runCli(
      [
        'snapshot',
        '--pool',
        eu.userPoolId,
        '--region',
        'us-east-1',
        '--issuer',
        issuer,
        '--jwks-uri',
        server.url('/eu'),
      ],
      cliIo,
    )
    expect(code).toBe(0)
    expect(JSON.parse(out.stdout).pools[0]).toMatchObject({ region: 'us-east-1', issuer, jwks: eu.jwks })
  })

  it('fails with a code and exit 1 when an endpoint misbehaves, exit 2 on bad usage', async () => {
    server.route('/garbage', (_req, res) => res.end('nope'))
    const bad = io()
    expect(await runCli(['snapshot', '--pool', eu.userPoolId, '--jwks-uri', server.url('/garbage')], bad.io)).toBe(1)
    expect(bad.out.stderr).toContain('JWKS_INVALID')
    const usage = io()
    expect(await runCli(['snapshot'], usage.io)).toBe(2)
    expect(usage.out.stderr).toContain('--pool is required')
    expect(await runCli(['snapshot', '--pool', 'a,b', '--region', 'x,y,z'], usage.io)).toBe(2)
    expect(await runCli(['nonsense'], usage.io)).toBe(2)
  })
})

describe('createJwksSnapshot and withSnapshot', () => {
  it('refuses to write a snapshot holding an unusable key', async () => {
    server.route(
      '/ec',
      json(() => ({ keys: [{ kid: 'ec1', kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] })),
    )
    await expect(createJwksSnapshot([{ userPoolId: eu.userPoolId, jwksUri: server.url('/ec') }])).rejects.toMatchObject(
      {
        code: 'JWKS_INVALID',
      },
    )
  })

  it('matches by issuer when the entry sets one, leaves entries with jwks alone, rejects a non-snapshot', () => {
    const snapshot: JwksSnapshot = {
      version: 1,
      createdAt: new Date(0).toISOString(),
      pools: [
        {
          userPoolId: eu.userPoolId,
          region: 'eu-west-1',
          issuer: 'https://x.example/p',
          jwksUri: 'https://x',
          jwks: eu.jwks,
        },
      ],
    }
    const [byIssuer, unmatched, own] = withSnapshot(
      [
        { userPoolId: 'other', clientId: 'c', issuer: 'https://x.example/p' },
        { userPoolId: eu.userPoolId, clientId: 'c', issuer: 'https://y.example/p' },
        { userPoolId: eu.userPoolId, clientId: 'c', jwks: us.jwks },
      ],
      snapshot,
    )
    expect(byIssuer?.jwks).toEqual(eu.jwks)
    expect(unmatched?.jwks).toBeUndefined()
    expect(own?.jwks).toBe(us.jwks)
    expect(() => withSnapshot([], { keys: [] } as unknown as JwksSnapshot)).toThrow(TypeError)
  })
})
