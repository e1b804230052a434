import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { cose, isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'

/**
 * A software WebAuthn authenticator for tests: one ES256 (P-256) credential, a signature counter and
 * switchable flags, answering `navigator.credentials.create()`/`get()` as the browser's JSON would
 * (`RegistrationResponseJSON` with attestation `none`, `AuthenticationResponseJSON`). It checks
 * nothing itself: a test can make it sign for any origin or RP id and see what the server refuses.
 */

const FLAG_UP = 0x01
const FLAG_UV = 0x04
const FLAG_BE = 0x08
const FLAG_BS = 0x10
const FLAG_AT = 0x40

const sha256 = (data: Uint8Array | string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(createHash('sha256').update(data).digest())

export interface SoftAuthenticatorOptions {
  /** Whether it reports user verification (UV). Default true. */
  userVerified?: boolean
  /** Backup eligible and backed up (BE/BS): a synced passkey. Default false (a device-bound one). */
  backedUp?: boolean
  /** The counter before the first signature. Default 0; each ceremony adds `counterStep`. */
  counter?: number
  /** What each ceremony adds to the counter: 0 for an authenticator that keeps none. Default 1. */
  counterStep?: number
}

export interface CeremonyOptions {
  /** `clientDataJSON.origin`. */
  origin: string
  /** The RP id hashed into authenticatorData. Default: the options' rp id. */
  rpId?: string
  /** Overrides the authenticator's UV flag for this ceremony. */
  userVerified?: boolean
  /** Signs with this counter value (the authenticator's own counter is left as it was). */
  counter?: number
  /** `clientDataJSON.type`. Default `webauthn.create` / `webauthn.get`. */
  type?: string
  /** `clientDataJSON.challenge`. Default: the options' challenge. */
  challenge?: string
}

interface State {
  privateKey: KeyObject
  publicKey: KeyObject
  credentialId: Uint8Array<ArrayBuffer>
  userHandle: string | undefined
}

export interface SoftAuthenticator {
  /** The credential id, base64url (as `response.id`). */
  readonly id: string
  /** The counter it will sign with next, minus one step. */
  readonly counter: number
  /** The `user.id` it was registered with (base64url), once registered. */
  readonly userHandle: string | undefined
  userVerified: boolean
  register(options: PublicKeyCredentialCreationOptionsJSON, ceremony: CeremonyOptions): RegistrationResponseJSON
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, ceremony: CeremonyOptions): AuthenticationResponseJSON
  /** Same key and credential id, its own copy of the counter: a cloned authenticator. */
  clone(): SoftAuthenticator
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' })
  const key = new Map<number, number | Uint8Array>([
    [cose.COSEKEYS.kty, cose.COSEKTY.EC2],
    [cose.COSEKEYS.alg, cose.COSEALG.ES256],
    [cose.COSEKEYS.crv, cose.COSECRV.P256],
    [cose.COSEKEYS.x, isoBase64URL.toBuffer(jwk.x ?? '')],
    [cose.COSEKEYS.y, isoBase64URL.toBuffer(jwk.y ?? '')],
  ])
  return isoCBOR.encode(key)
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value, false)
  return bytes
}

function uint16(value: number): Uint8Array {
  const bytes = new Uint8Array(2)
  new DataView(bytes.buffer).setUint16(0, value, false)
  return bytes
}

function clientData(type: string, challenge: string, origin: string): string {
  return isoBase64URL.fromUTF8String(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
}

function build(state: State, settings: Required<SoftAuthenticatorOptions>): SoftAuthenticator {
  let counter = settings.counter
  const flags = (userVerified: boolean, attested: boolean) =>
    FLAG_UP | (userVerified ? FLAG_UV : 0) | (settings.backedUp ? FLAG_BE | FLAG_BS : 0) | (attested ? FLAG_AT : 0)
  const nextCounter = (fixed: number | undefined) => {
    if (fixed !== undefined) return fixed
    counter += settings.counterStep
    return counter
  }
  const id = () => isoBase64URL.fromBuffer(state.credentialId)

  const authenticator: SoftAuthenticator = {
    get id() {
      return id()
    },
    get counter() {
      return counter
    },
    get userHandle() {
      return state.userHandle
    },
    userVerified: settings.userVerified,

    register(options, ceremony) {
      state.userHandle = options.user.id
      const rpId = ceremony.rpId ?? options.rp.id ?? new URL(ceremony.origin).hostname
      const authData = Buffer.concat([
        sha256(rpId),
        Uint8Array.of(flags(ceremony.userVerified ?? authenticator.userVerified, true)),
        uint32(nextCounter(ceremony.counter)),
        new Uint8Array(16), // AAGUID: zeros, as a `none` attestation may give
        uint16(state.credentialId.length),
        state.credentialId,
        coseKey(state.publicKey),
      ])
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Map<string, string> | Uint8Array>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, string>()],
          ['authData', new Uint8Array(authData)],
        ]),
      )
      return {
        id: id(),
        rawId: id(),
        type: 'public-key',
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
        response: {
          clientDataJSON: clientData(
            ceremony.type ?? 'webauthn.create',
            ceremony.challenge ?? options.challenge,
            ceremony.origin,
          ),
          attestationObject: isoBase64URL.fromBuffer(attestationObject),
          transports: ['internal', 'hybrid'],
        },
      }
    },

    authenticate(options, ceremony) {
      const rpId = ceremony.rpId ?? options.rpId ?? new URL(ceremony.origin).hostname
      const authData = Buffer.concat([
        sha256(rpId),
        Uint8Array.of(flags(ceremony.userVerified ?? authenticator.userVerified, false)),
        uint32(nextCounter(ceremony.counter)),
      ])
      const clientDataJSON = clientData(
        ceremony.type ?? 'webauthn.get',
        ceremony.challenge ?? options.challenge,
        ceremony.origin,
      )
      const signed = Buffer.concat([authData, sha256(isoBase64URL.toBuffer(clientDataJSON))])
      const signature = sign('sha256', signed, { key: state.privateKey, dsaEncoding: 'der' })
      return {
        id: id(),
        rawId: id(),
        type: 'public-key',
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
        response: {
          clientDataJSON,
          authenticatorData: isoBase64URL.fromBuffer(new Uint8Array(authData)),
          signature: isoBase64URL.fromBuffer(new Uint8Array(signature)),
          ...(state.userHandle !== undefined && { userHandle: state.userHandle }),
        },
      }
    },

    clone() {
      return build({ ...state }, { ...settings, counter, userVerified: authenticator.userVerified })
    },
  }
  return authenticator
}

/**
 * @example
 * const authenticator = createSoftAuthenticator()
 * const response = authenticator.register(options, { origin: 'https://app.example.com' })
 */
export function createSoftAuthenticator(options: SoftAuthenticatorOptions = {}): SoftAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return build(
    { privateKey, publicKey, credentialId: new Uint8Array(randomBytes(32)), userHandle: undefined },
    {
      userVerified: options.userVerified ?? true,
      backedUp: options.backedUp ?? false,
      counter: options.counter ?? 0,
      counterStep: options.counterStep ?? 1,
    },
  )
}

/** An answer without its user handle, as an authenticator that keeps none (or an attacker) sends it. */
export function withoutUserHandle(response: AuthenticationResponseJSON): AuthenticationResponseJSON {
  const { userHandle: _dropped, ...rest } = response.response
  return { ...response, response: rest }
}
