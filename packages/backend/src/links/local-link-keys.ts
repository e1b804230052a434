import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'
import { assertP256, verifyEs256 } from './es256.js'
import type { LinkClaims, LinkSigner, LinkVerifier } from './link-token.js'

export interface LocalLinkKeysOptions {
  /** A private EC P-256 JWK (with `d`); generated when omitted (fine for one process, e.g. the emulator). */
  privateJwk?: JsonWebKey | undefined
  /** `kid` put in the JWS header. */
  keyId?: string | undefined
}

export interface LocalLinkKeys {
  signer: LinkSigner
  verifier: LinkVerifier
  /** The public half, to configure verifiers elsewhere. */
  publicJwk: JsonWebKey
}

/**
 * ES256 link keys held in process, for the emulator and tests. Every region
 * of one emulator shares one instance, as every AWS region shares one KMS
 * multi-region key.
 *
 * @example
 * const { signer, verifier } = createLocalLinkKeys()
 * const token = await signer.sign(claims)
 * await verifier.verify(token) // → claims
 */
export function createLocalLinkKeys(options: LocalLinkKeysOptions = {}): LocalLinkKeys {
  let privateKey: KeyObject
  if (options.privateJwk === undefined) {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  } else {
    if (typeof options.privateJwk !== 'object' || typeof options.privateJwk.d !== 'string') {
      throw new TypeError('privateJwk must be a private EC P-256 JWK (with "d")')
    }
    privateKey = createPrivateKey({ key: options.privateJwk, format: 'jwk' })
  }
  const publicKey = assertP256(createPublicKey(privateKey), 'privateJwk')
  const keyId = options.keyId ?? 'regionless-link'
  return {
    signer: {
      sign: (claims: LinkClaims) =>
        new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: keyId }).sign(privateKey),
    },
    verifier: { verify: (token: string) => verifyEs256(token, publicKey) },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: keyId, alg: 'ES256', use: 'sig' },
  }
}
