import { createPublicKey, type KeyObject } from 'node:crypto'
import { TokenError } from './errors.js'

/** A JSON Web Key as Cognito publishes it (RSA, RS256, `use: sig`). Other members are allowed and ignored. */
export interface Jwk {
  kid: string
  kty: string
  n?: string
  e?: string
  alg?: string
  use?: string
  [member: string]: unknown
}

/** A JSON Web Key Set: what `/.well-known/jwks.json` answers, and what a snapshot stores. */
export interface Jwks {
  keys: Jwk[]
}

/** RSA keys below 2048 bits are refused: they are breakable and Cognito never issues them. */
const MIN_RSA_BITS = 2048

/**
 * Checks the shape of a JWKS and indexes it by `kid`. Keys are converted to KeyObjects later, one at a time,
 * so a cold start pays only for the key it needs.
 */
export function indexJwks(value: unknown, source: string): Map<string, Jwk> {
  const keys = (value as { keys?: unknown } | null)?.keys
  if (typeof value !== 'object' || value === null || !Array.isArray(keys)) {
    throw new TokenError('JWKS_INVALID', `JWKS from ${source} has no "keys" array`)
  }
  const byKid = new Map<string, Jwk>()
  for (const key of keys as unknown[]) {
    const kid = (key as { kid?: unknown } | null)?.kid
    if (typeof key !== 'object' || key === null || typeof kid !== 'string') {
      throw new TokenError('JWKS_INVALID', `JWKS from ${source} has a key without a string "kid"`)
    }
    // Two keys under one kid would make the choice of key depend on order: refuse the set.
    if (byKid.has(kid)) throw new TokenError('JWKS_INVALID', `JWKS from ${source} repeats kid ${kid}`, { found: kid })
    byKid.set(kid, key as Jwk)
  }
  return byKid
}

/**
 * Turns one JWK into a KeyObject fit for RS256, refusing anything else: a key published for encryption, for
 * another algorithm, or too short is not used for signatures.
 */
export function rsaKeyFromJwk(jwk: Jwk, source: string): KeyObject {
  const where = `key ${jwk.kid} from ${source}`
  if (jwk.kty !== 'RSA')
    throw new TokenError('JWKS_INVALID', `${where} is not RSA`, { expected: 'RSA', found: jwk.kty })
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new TokenError('JWKS_INVALID', `${where} is not a signing key`, { expected: 'sig', found: jwk.use })
  }
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') {
    throw new TokenError('ALG_NOT_ALLOWED', `${where} is for ${String(jwk.alg)}`, { expected: 'RS256', found: jwk.alg })
  }
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new TokenError('JWKS_INVALID', `${where} lacks "n" or "e"`)
  }
  let key: KeyObject
  try {
    key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
  } catch (cause) {
    throw new TokenError('JWKS_INVALID', `${where} is not a valid RSA public key`, { cause })
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_RSA_BITS) {
    throw new TokenError('JWKS_INVALID', `${where} has ${bits} bits; at least ${MIN_RSA_BITS} are required`, {
      expected: MIN_RSA_BITS,
      found: bits,
    })
  }
  return key
}
