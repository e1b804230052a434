import { createPublicKey, type KeyObject } from 'node:crypto'
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms'
import { derToJoseSignature } from './der-signature.js'
import { assertP256, parsePublicKey, verifyEs256 } from './es256.js'
import type { LinkClaims, LinkSigner, LinkVerifier } from './link-token.js'

export interface KmsLinkSignerOptions {
  /** A KMS client for the region the trigger runs in. */
  client: KMSClient
  /** Key id or ARN of an ECC_NIST_P256 SIGN_VERIFY key; in AWS the local replica of a multi-region key. */
  keyId: string
  /** `kid` for the JWS header. Default: the multi-region key id (`mrk-…`), the same in every region. */
  kid?: string
}

function base64url(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url')
}

/** The key id part of an ARN or alias-free id, which is identical for every replica of a multi-region key. */
function keyIdOf(keyId: string): string {
  return keyId.slice(keyId.lastIndexOf('/') + 1)
}

/**
 * Signs links with a KMS asymmetric key (`ECDSA_SHA_256`), so the private key
 * never leaves KMS. KMS hashes the `header.payload` bytes itself (message type
 * RAW) and returns a DER signature, converted here to JOSE's `r || s`.
 *
 * @example
 * const signer = createKmsLinkSigner({ client: new KMSClient({}), keyId: 'mrk-1234abcd…' })
 */
export function createKmsLinkSigner(options: KmsLinkSignerOptions): LinkSigner {
  if (!options?.client) throw new TypeError('createKmsLinkSigner needs a KMSClient')
  if (typeof options.keyId !== 'string' || options.keyId === '') throw new TypeError('createKmsLinkSigner needs keyId')
  const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: options.kid ?? keyIdOf(options.keyId) }))
  return {
    async sign(claims: LinkClaims) {
      const signingInput = `${header}.${base64url(JSON.stringify(claims))}`
      const result = await options.client.send(
        new SignCommand({
          KeyId: options.keyId,
          Message: new TextEncoder().encode(signingInput),
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      )
      if (!result.Signature) throw new Error('KMS Sign returned no signature')
      return `${signingInput}.${base64url(derToJoseSignature(result.Signature))}`
    },
  }
}

export interface KmsLinkVerifierOptions {
  /** Fetch the public key from KMS (`GetPublicKey`) once per cold start. */
  client?: KMSClient
  keyId?: string
  /** Or give the public key (PEM SPKI text, or a JWK object/JSON) and make no KMS call at all. */
  publicKey?: string | Record<string, unknown>
}

/**
 * Verifies links locally with the public half of the KMS key: one
 * `GetPublicKey` per cold start (cached; retried on the next call if it
 * failed), or none when the key is configured. Verification never calls KMS,
 * so redeeming a link costs no KMS request and survives KMS throttling.
 *
 * @example
 * const verifier = createKmsLinkVerifier({ client: new KMSClient({}), keyId: 'mrk-1234abcd…' })
 */
export function createKmsLinkVerifier(options: KmsLinkVerifierOptions): LinkVerifier {
  if (options?.publicKey !== undefined) {
    const key = parsePublicKey(options.publicKey, 'publicKey')
    return { verify: (token) => verifyEs256(token, key) }
  }
  const { client, keyId } = options ?? {}
  if (!client || typeof keyId !== 'string' || keyId === '') {
    throw new TypeError('createKmsLinkVerifier needs publicKey, or client and keyId')
  }
  let cached: Promise<KeyObject> | undefined
  const load = async (): Promise<KeyObject> => {
    const result = await client.send(new GetPublicKeyCommand({ KeyId: keyId }))
    if (!result.PublicKey) throw new Error('KMS GetPublicKey returned no key')
    if (result.KeySpec !== undefined && result.KeySpec !== 'ECC_NIST_P256') {
      throw new Error(`link key must be ECC_NIST_P256, KMS says ${result.KeySpec}`)
    }
    return assertP256(createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' }), 'KMS key')
  }
  return {
    async verify(token) {
      cached ??= load().catch((err: unknown) => {
        cached = undefined
        throw err
      })
      return verifyEs256(token, await cached)
    },
  }
}
