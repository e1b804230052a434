import { createPublicKey, type KeyObject } from 'node:crypto'
import { compactVerify, decodeProtectedHeader } from 'jose'

/**
 * Verifies an ES256 compact JWS with a public key and returns the JSON
 * payload. Only ES256 is accepted, whatever the header says, so a token
 * cannot downgrade to `none` or switch to a symmetric algorithm.
 */
export async function verifyEs256(token: string, key: KeyObject): Promise<Record<string, unknown>> {
  const header = decodeProtectedHeader(token)
  if (header.alg !== 'ES256') throw new Error(`unexpected algorithm ${String(header.alg)}`)
  const { payload } = await compactVerify(token, key, { algorithms: ['ES256'] })
  const parsed: unknown = JSON.parse(new TextDecoder().decode(payload))
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('payload is not an object')
  return parsed as Record<string, unknown>
}

/** Makes sure a public key is a P-256 EC key, the only kind a link may be signed with. */
export function assertP256(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError(`${what} must be an EC P-256 key`)
  }
  return key
}

/** Parses a public key given as PEM (SPKI) text, or a JWK object or JSON string. */
export function parsePublicKey(input: string | Record<string, unknown>, what: string): KeyObject {
  try {
    if (typeof input === 'string' && input.includes('-----BEGIN')) return assertP256(createPublicKey(input), what)
    const jwk = typeof input === 'string' ? (JSON.parse(input) as Record<string, unknown>) : input
    // Drop the private part if someone pasted a whole key pair.
    const { d: _d, ...publicJwk } = jwk
    return assertP256(createPublicKey({ key: publicJwk as never, format: 'jwk' }), what)
  } catch (err) {
    if (err instanceof TypeError && err.message.includes('P-256')) throw err
    throw new TypeError(`${what} is not a PEM or JWK public key`)
  }
}
