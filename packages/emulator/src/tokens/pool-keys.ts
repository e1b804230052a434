import { generateKeyPair, type KeyObject, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import type { JWK } from 'jose'

/** One RS256 key of a pool, with the JWK it publishes. */
export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: JWK
}

/** Cognito signs ID tokens and access tokens with two different keys, both in the pool's JWKS. */
export interface SigningPair {
  id: SigningKey
  access: SigningKey
}

/**
 * One pool's key ring (replicas share one, as Cognito's replicas publish the
 * same keys). Rotation publishes a new pair beside the old ones, so tokens
 * signed before keep verifying until the old keys are retired, as when
 * Cognito rotates its keys.
 */
export interface PoolKeys {
  /** The pair new tokens are signed with. */
  current(): SigningPair
  /** The public key behind a published `kid`, current or older. */
  publicKey(kid: string): KeyObject | undefined
  /** The JWKS as served: a new object on every call, the current pair first. */
  jwks(): { keys: JWK[] }
  /** Makes a new pair, publishes it and signs with it from now on. */
  rotate(): Promise<SigningPair>
  /** Stops publishing every key but the current pair; returns the kids dropped. */
  retire(): string[]
}

const generateRsa = promisify(generateKeyPair)

/** A fresh RS256 key; generated off the main thread so several keys are made in parallel. */
async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 })
  const kid = randomBytes(32).toString('base64')
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), alg: 'RS256', kid, use: 'sig' }
  return { kid, privateKey, publicKey, jwk }
}

async function createPair(): Promise<SigningPair> {
  const [id, access] = await Promise.all([createSigningKey(), createSigningKey()])
  return { id, access }
}

export async function createPoolKeys(): Promise<PoolKeys> {
  let current = await createPair()
  // Newest first: a JWKS reader that stops at the first match sees the keys in use.
  let published: SigningKey[] = [current.id, current.access]
  return {
    current: () => current,
    publicKey: (kid) => published.find((key) => key.kid === kid)?.publicKey,
    jwks: () => ({ keys: published.map((key) => ({ ...key.jwk })) }),
    async rotate() {
      const next = await createPair()
      current = next
      published = [next.id, next.access, ...published]
      return next
    },
    retire() {
      const keep = new Set([current.id.kid, current.access.kid])
      const dropped = published.filter((key) => !keep.has(key.kid)).map((key) => key.kid)
      published = published.filter((key) => keep.has(key.kid))
      return dropped
    },
  }
}
