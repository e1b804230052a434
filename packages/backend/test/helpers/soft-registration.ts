import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'

// A software authenticator for tests: answers registration options the way a platform authenticator with
// `none` attestation does (ES256, user present and verified), so the server's real verification runs.

const FLAGS_UP_UV_AT = 0x01 | 0x04 | 0x40

function coseKey(jwk: { x?: string; y?: string }): Uint8Array {
  // COSE_Key of an EC2 P-256 key: kty 2, alg -7 (ES256), crv 1, x, y.
  const map = new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
    [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
  ])
  return isoCBOR.encode(map as never)
}

/** The JSON `startRegistration()` would return for `options`, created on the page at `origin`. */
export function registrationResponse(
  options: PublicKeyCredentialCreationOptionsJSON,
  origin: string,
): RegistrationResponseJSON {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const credentialId = randomBytes(16)
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }),
  )
  const idLength = Buffer.alloc(2)
  idLength.writeUInt16BE(credentialId.length)
  const authData = Buffer.concat([
    createHash('sha256')
      .update(options.rp.id ?? '')
      .digest(),
    Buffer.from([FLAGS_UP_UV_AT]),
    Buffer.alloc(4), // signature counter 0
    Buffer.alloc(16), // AAGUID: none
    idLength,
    credentialId,
    coseKey(publicKey.export({ format: 'jwk' })),
  ])
  const attestationObject = isoCBOR.encode(
    new Map<string, unknown>([
      ['fmt', 'none'],
      ['attStmt', new Map()],
      ['authData', new Uint8Array(authData)],
    ]) as never,
  )
  const id = isoBase64URL.fromBuffer(new Uint8Array(credentialId))
  return {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: isoBase64URL.fromBuffer(new Uint8Array(clientDataJSON)),
      attestationObject: isoBase64URL.fromBuffer(attestationObject),
      transports: ['internal'],
    },
  }
}
