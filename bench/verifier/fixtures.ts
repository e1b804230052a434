// Tokens and keys for the verifier benchmark: one Cognito-like pool, RS256 2048-bit, real claim shapes.
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto'

export interface Fixture {
  userPoolId: string
  clientId: string
  issuer: string
  jwks: { keys: Array<Record<string, unknown> & { kid: string }> }
  publicKey: KeyObject
  tokens: string[]
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function createFixture(count: number): Fixture {
  const userPoolId = 'eu-west-1_BenchPool1'
  const clientId = '3n4b5urk1ft4fl3mg5e62d9ado'
  const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${userPoolId}`
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = 'bench-key-1'
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' }
  const now = Math.floor(Date.now() / 1000)
  const header = b64({ kid, alg: 'RS256' })
  const tokens = Array.from({ length: count }, (_, i) => {
    const payload = b64({
      sub: randomUUID(),
      'cognito:groups': ['users'],
      iss: issuer,
      version: 2,
      client_id: clientId,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      exp: now + 3600,
      iat: now + (i % 5) - 5,
      jti: randomUUID(),
      username: `u_${randomUUID().replaceAll('-', '')}`,
    })
    const input = `${header}.${payload}`
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`
  })
  return { userPoolId, clientId, issuer, jwks: { keys: [jwk] }, publicKey, tokens }
}
