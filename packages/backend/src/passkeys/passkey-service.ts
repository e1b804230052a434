import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers'
import { webauthnKey } from '../stores/keys.js'
import type { SingleUseStore } from '../stores/single-use-store.js'
import { issueChallenge } from './challenges.js'
import { PasskeyApiError } from './passkey-api-error.js'
import type { PasskeyStore, StoredPasskey } from './passkey-store.js'
import { newestFirst, type PasskeySummary, summarise } from './passkey-summary.js'
import { type RelyingParty, type RelyingPartyOptions, resolveRelyingParty } from './relying-party.js'
import { parseRegistrationResponse, readClientData } from './webauthn-json.js'

/** How long a WebAuthn challenge may be answered, in seconds (the browser's ceremony time-out too). */
export const DEFAULT_CHALLENGE_TTL_SECONDS = 300
/** Passkeys one user may hold. */
export const MAX_PASSKEYS = 20
const MAX_NAME_LENGTH = 64

export interface PasskeyServiceOptions {
  /** The store every region sees (`createDynamoPasskeyStore` on the global table, or one shared in memory). */
  passkeys: PasskeyStore
  /** Spends answered challenges; the same cross-region store as magic links. */
  singleUse: SingleUseStore
  relyingParty: RelyingPartyOptions
  /** The region this API runs in (shown as where a passkey was registered). */
  region: string
  /** Seconds a challenge may be answered (60–600). Default 300. */
  challengeTtlSeconds?: number
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number
}

/** A name from the user, trimmed, 1–64 characters; undefined when none was given. */
function cleanName(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '' || [...value.trim()].length > MAX_NAME_LENGTH) {
    throw new PasskeyApiError('invalid_request', `name must be 1 to ${MAX_NAME_LENGTH} characters`)
  }
  return value.trim()
}

/** Checks the challenge TTL option: an integer from 60 to 600. */
export function challengeTtl(value: unknown, field = 'passkeys.challengeTtlSeconds'): number {
  if (value === undefined) return DEFAULT_CHALLENGE_TTL_SECONDS
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 60 || value > 600) {
    throw new TypeError(`${field} must be an integer from 60 to 600, got ${String(value)}`)
  }
  return value
}

/**
 * What each region's passkey API does, apart from HTTP: registration (options, then the verified
 * response), the owner's list, rename and delete, and the challenge for a usernameless (autofill)
 * sign-in. The caller passes the username from a verified access token, never from the request.
 *
 * @example
 * const service = createPasskeyService({ passkeys, singleUse, region: 'eu-west-1',
 *   relyingParty: { rpId: 'example.com', origins: ['https://app.example.com'] } })
 * const { options } = await service.registrationOptions('u_3a…', 'ana@example.com')
 */
export function createPasskeyService(options: PasskeyServiceOptions) {
  const relyingParty: RelyingParty = resolveRelyingParty(options.relyingParty)
  const ttlSeconds = challengeTtl(options.challengeTtlSeconds)
  if (typeof options.region !== 'string' || options.region === '') throw new TypeError('region is required')
  const { passkeys, singleUse, region } = options
  const now = options.now ?? Date.now
  const nowSeconds = () => now() / 1000

  async function mine(username: string, id: string): Promise<StoredPasskey> {
    const found = (await passkeys.list(username)).find((p) => p.id === id)
    if (!found) throw new PasskeyApiError('not_found', 'No such passkey')
    return found
  }

  return {
    relyingParty,
    ttlSeconds,

    /** The options of a usernameless sign-in (autofill): a challenge any region accepts once. */
    async signInChallenge() {
      const challenge = await issueChallenge(passkeys, { purpose: 'sign-in' }, ttlSeconds, nowSeconds())
      return generateAuthenticationOptions({
        rpID: relyingParty.id,
        challenge: isoBase64URL.toBuffer(challenge),
        timeout: ttlSeconds * 1000,
        userVerification: 'required',
        allowCredentials: [],
      })
    },

    /** The options for `navigator.credentials.create()`, for the signed-in `username`. */
    async registrationOptions(username: string, displayName?: unknown) {
      const shown = displayName === undefined ? username : cleanName(displayName)!
      const existing = await passkeys.list(username)
      if (existing.length >= MAX_PASSKEYS) {
        throw new PasskeyApiError('too_many_passkeys', `At most ${MAX_PASSKEYS} passkeys per account`)
      }
      const challenge = await issueChallenge(passkeys, { purpose: 'registration', username }, ttlSeconds, nowSeconds())
      return generateRegistrationOptions({
        rpName: relyingParty.name,
        rpID: relyingParty.id,
        userName: shown,
        userDisplayName: shown,
        userID: isoUint8Array.fromUTF8String(username),
        challenge: isoBase64URL.toBuffer(challenge),
        timeout: ttlSeconds * 1000,
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({
          id: p.id,
          ...(p.transports && { transports: p.transports as never }),
        })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
        extensions: { credProps: true } as never,
      })
    },

    /** Verifies a registration response and stores the passkey; the challenge must be this user's. */
    async register(username: string, body: { response?: unknown; name?: unknown }): Promise<PasskeySummary> {
      const name = cleanName(body?.name)
      const response = parseRegistrationResponse(body?.response)
      if (!response)
        throw new PasskeyApiError('invalid_request', 'response must be the JSON of a registration response')
      const client = readClientData(response.response.clientDataJSON)
      if (!client) throw new PasskeyApiError('invalid_request', 'response has unreadable client data')
      const issued = await passkeys.findChallenge(client.challenge)
      if (issued?.purpose !== 'registration' || issued.username !== username) {
        throw new PasskeyApiError('challenge_expired', 'This registration expired or was not started here: try again')
      }
      if (!relyingParty.allowsOrigin(client.origin)) {
        throw new PasskeyApiError('registration_failed', 'The page that created the passkey is not an allowed origin')
      }
      let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>
      try {
        info = await verifyRegistrationResponse({
          response,
          expectedChallenge: client.challenge,
          expectedOrigin: client.origin,
          expectedRPID: relyingParty.id,
          requireUserVerification: true,
        })
      } catch (err) {
        throw new PasskeyApiError(
          'registration_failed',
          `The passkey could not be verified (${(err as Error).message})`,
        )
      }
      if (!info.verified) throw new PasskeyApiError('registration_failed', 'The passkey could not be verified')
      if (!(await singleUse.consume(webauthnKey(client.challenge), nowSeconds() + 3600))) {
        throw new PasskeyApiError('challenge_expired', 'This registration was already completed')
      }
      const { credential, credentialBackedUp, credentialDeviceType } = info.registrationInfo
      const count = (await passkeys.list(username)).length
      const passkey: StoredPasskey = {
        id: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        name: name ?? `Passkey ${count + 1}`,
        createdAt: now(),
        registeredRegion: region,
        backedUp: credentialBackedUp,
        deviceType: credentialDeviceType,
      }
      const transports = response.response.transports ?? credential.transports
      if (transports?.length) passkey.transports = [...transports]
      if (!(await passkeys.add(username, passkey))) {
        throw new PasskeyApiError('already_registered', 'This passkey is already registered')
      }
      return summarise(passkey)
    },

    async list(username: string): Promise<PasskeySummary[]> {
      return (await passkeys.list(username)).sort(newestFirst).map(summarise)
    },

    async rename(username: string, id: string, name: unknown): Promise<PasskeySummary> {
      const clean = cleanName(name)
      if (clean === undefined) throw new PasskeyApiError('invalid_request', 'name is required')
      const renamed = await passkeys.rename(username, (await mine(username, id)).id, clean)
      if (!renamed) throw new PasskeyApiError('not_found', 'No such passkey')
      return summarise(renamed)
    },

    async remove(username: string, id: string): Promise<void> {
      if (!(await passkeys.remove(username, id))) throw new PasskeyApiError('not_found', 'No such passkey')
    },
  }
}

export type PasskeyService = ReturnType<typeof createPasskeyService>
