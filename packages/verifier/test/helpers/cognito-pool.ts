// A stand-in for one Cognito user pool in tests: its own RSA keys, its JWKS, and tokens with the claim
// shapes Cognito issues (access and ID tokens of a user pool app client).
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto'
import type { Jwk, Jwks } from '../../src/jwks.js'

export interface TestPool {
  userPoolId: string
  region: string
  clientId: string
  issuer: string
  key: { kid: string; privateKey: KeyObject; publicKey: KeyObject; jwk: Jwk }
  jwks: Jwks
  /** A second key, published in the JWKS only after `rotate()`. */
  nextKey: { kid: string; privateKey: KeyObject; publicKey: KeyObject; jwk: Jwk }
  rotate(): void
  accessToken(options?: TokenOptions): string
  idToken(options?: TokenOptions): string
}

export interface TokenOptions {
  email?: string
  claims?: Record<string, unknown>
  header?: Record<string, unknown>
  /** Seconds since the epoch used for iat/auth_time; exp = now + 3600. */
  now?: number
  signWith?: KeyObject
  useNextKey?: boolean
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** The backend's stable username: 'u_' + first 32 hex of sha256(normalised email). */
export function usernameForEmail(email: string): string {
  return `u_${createHash('sha256').update(email.trim().normalize('NFC').toLowerCase()).digest('hex').slice(0, 32)}`
}

function makeKey() {
  // Every key is distinct, so a signature by one pool's key can never pass as another pool's.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = Buffer.from(randomUUID()).toString('base64').slice(0, 43)
  const jwk = {
    ...(publicKey.export({ format: 'jwk' }) as { n: string; e: string }),
    kid,
    alg: 'RS256',
    kty: 'RSA',
    use: 'sig',
  }
  return { kid, privateKey, publicKey, jwk }
}

/** Signs any header and payload as a compact JWS with RS256. */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: KeyObject,
): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`
}

export function createTestPool(region = 'eu-west-1', options: { issuer?: string; userPoolId?: string } = {}): TestPool {
  const userPoolId = options.userPoolId ?? `${region}_${randomUUID().replaceAll('-', '').slice(0, 9)}`
  const issuer = options.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`
  const clientId = randomUUID().replaceAll('-', '').slice(0, 26)
  const key = makeKey()
  const nextKey = makeKey()
  const jwks: Jwks = { keys: [key.jwk] }

  function token(kind: 'access' | 'id', o: TokenOptions): string {
    const now = o.now ?? Math.floor(Date.now() / 1000)
    const email = o.email ?? 'Ada@Example.com'
    const username = usernameForEmail(email)
    const common = {
      sub: randomUUID(),
      iss: issuer,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: kind,
      auth_time: now,
      exp: now + 3600,
      iat: now,
      jti: randomUUID(),
    }
    const payload =
      kind === 'access'
        ? { ...common, version: 2, client_id: clientId, scope: 'aws.cognito.signin.user.admin', username }
        : { ...common, email_verified: true, 'cognito:username': username, aud: clientId, email: email.toLowerCase() }
    const signer = o.useNextKey ? nextKey : key
    return signJwt(
      { kid: signer.kid, alg: 'RS256', ...o.header },
      { ...payload, ...o.claims },
      o.signWith ?? signer.privateKey,
    )
  }

  return {
    userPoolId,
    region,
    clientId,
    issuer,
    key,
    jwks,
    nextKey,
    rotate() {
      jwks.keys = [key.jwk, nextKey.jwk]
    },
    accessToken: (o = {}) => token('access', o),
    idToken: (o = {}) => token('id', o),
  }
}
