import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRegionlessStacks } from '../../src/cdk/index.js'
import { exampleConfig } from '../helpers/cdk-fixtures.js'

// One real synth with esbuild bundling (no Docker), to prove the deploy app's code path: every function
// bundles, the authorizer ships the snapshot, and the bundle verifies a token offline from it.
const work = mkdtempSync(join(tmpdir(), 'regionless-bundle-'))
const peer = { userPoolId: 'us-east-1_EXAMPLE02', clientId: 'example2clientid0000000000' }
const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${peer.userPoolId}`
let privateKey: CryptoKey
let assets: string[] = []
let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }

beforeAll(async () => {
  const keys = await generateKeyPair('RS256')
  privateKey = keys.privateKey
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }
  const snapshot = {
    version: 1,
    createdAt: new Date(0).toISOString(),
    pools: [
      {
        userPoolId: peer.userPoolId,
        region: 'us-east-1',
        issuer,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        jwks: { keys: [jwk] },
      },
    ],
  }
  writeFileSync(join(work, 'snapshot.json'), JSON.stringify(snapshot))
  const config = exampleConfig({
    regions: [{ region: 'eu-west-1' }, { region: 'us-east-1', ...peer }],
    jwksSnapshotPath: 'snapshot.json',
  })
  const app = new App({ outdir: join(work, 'cdk.out'), analyticsReporting: false })
  const { regions } = addRegionlessStacks(app, config, { baseDir: work })
  const assembly = app.synth()
  template = assembly.getStackByName(regions[0]!.stackName).template
  assets = readdirSync(join(work, 'cdk.out')).filter((d) => d.startsWith('asset.'))
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

function assetOf(functionName: string): string {
  const fn = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === functionName,
  )!
  const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace('.zip', '')
  return join(work, 'cdk.out', `asset.${key}`)
}

describe('esbuild bundling of the real app', () => {
  it('bundles each handler into one minified CommonJS file with a source map', () => {
    expect(assets.length).toBeGreaterThanOrEqual(2)
    const triggers = assetOf('regionless-create-auth-challenge')
    expect(readdirSync(triggers).sort()).toEqual(['index.js', 'index.js.map'])
    const code = readFileSync(join(triggers, 'index.js'), 'utf8')
    for (const name of ['defineAuthChallenge', 'createAuthChallenge', 'verifyAuthChallengeResponse', 'preSignUp']) {
      expect(code).toContain(name)
    }
    // The pinned AWS SDK is bundled rather than taken from the runtime.
    expect(code).toContain('SendEmailCommand')
    const replication = readFileSync(join(assetOf('regionless-replication-worker'), 'index.js'), 'utf8')
    for (const name of ['postConfirmation', 'replicationWorker', 'lifecycle', 'reconcile']) {
      expect(replication).toContain(name)
    }
  })

  it('ships the JWKS snapshot with the authorizer, which verifies a peer token with no network', async () => {
    const dir = assetOf('regionless-http-authorizer')
    expect(existsSync(join(dir, 'jwks-snapshot.json'))).toBe(true)
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({
      token_use: 'access',
      client_id: peer.clientId,
      username: 'u_abc',
      scope: 'aws.cognito.signin.user.admin',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(issuer)
      .setSubject('sub-1')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey)
    const run = (authorization: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-e',
            `require(${JSON.stringify(join(dir, 'index.js'))}).handler({ type: 'REQUEST', routeArn: 'arn', headers: { authorization: ${JSON.stringify(authorization)} } }).then((r) => console.log(JSON.stringify(r)))`,
          ],
          {
            encoding: 'utf8',
            env: {
              LAMBDA_TASK_ROOT: dir,
              REGIONLESS_VERIFIER_POOLS: JSON.stringify([peer]),
              REGIONLESS_VERIFIER_TOKEN_USE: 'access',
              PATH: process.env.PATH,
            },
          },
        ),
      )
    const allowed = run(`Bearer ${token}`)
    expect(allowed.isAuthorized).toBe(true)
    expect(allowed.context.userId).toBe('u_abc')
    expect(run(`Bearer ${token.slice(0, -4)}AAAA`).isAuthorized).toBe(false)
  })
})
