import { generateKeyPair, type KeyObject, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import type { JWK } from 'jose'

/** One pool's signing key. Replicas share one, as Cognito's replicas publish the same keys. */
export interface PoolKeys {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  jwks: { keys: JWK[] }
}

const generateRsa = promisify(generateKeyPair)

/** A fresh RS256 key; generated off the main thread so several pools' keys are made in parallel. */
export async function createPoolKeys(): Promise<PoolKeys> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 })
  const kid = randomBytes(32).toString('base64')
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), alg: 'RS256', kid, use: 'sig' }
  return { kid, privateKey, publicKey, jwks: { keys: [jwk] } }
}
