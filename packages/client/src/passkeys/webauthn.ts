import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser'
import type { RegionlessErrorCode } from '../errors.js'
import type { PasskeyHost } from '../passkey-plugin.js'

export type { AuthenticationResponseJSON, RegistrationResponseJSON }

// An IP address is never a valid RP id, so a page served from one (the demo on
// http://127.0.0.1:5173) cannot use passkeys even where WebAuthn exists.
const onIpAddress = () => /^(\d{1,3}(\.\d{1,3}){3}|\[[\da-f:.]+\])$/i.test(globalThis.location?.hostname ?? '')

/**
 * True when this page can use passkeys: the browser has WebAuthn and the page
 * is not served from an IP address. SSR-safe: false where there is no `window`.
 */
export const browserSupportsPasskeys = (): boolean => browserSupportsWebAuthn() && !onIpAddress()

/** True when this browser can offer passkeys in an input's autofill (conditional mediation). */
export const browserSupportsPasskeyAutofill = (): Promise<boolean> =>
  browserSupportsPasskeys() ? browserSupportsWebAuthnAutofill() : Promise.resolve(false)

/**
 * The browser's error as a `RegionlessError`. simplewebauthn wraps the
 * DOMException in a WebAuthnError whose `name` is the DOMException's and whose
 * `code` says why; its own "not supported" errors are plain `Error`s.
 */
export function browserError(host: PasskeyHost, err: unknown) {
  const { name, code: why, message = '' } = (err ?? {}) as { name?: string; code?: string; message?: string }
  const code: RegionlessErrorCode =
    why === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED'
      ? 'PASSKEY_EXISTS'
      : name === 'NotAllowedError' || name === 'AbortError'
        ? 'PASSKEY_CANCELLED'
        : name === 'SecurityError' || name === 'NotSupportedError' || /not supported|does not support/i.test(message)
          ? 'PASSKEY_UNSUPPORTED'
          : 'UNKNOWN'
  return new host.RegionlessError(code, message || String(name), { cause: err })
}

// The browser allows one WebAuthn request at a time; simplewebauthn aborts the
// previous one when a new one starts. `ceremony` tells whether ours is still
// the current one, so aborting a stale signal never cancels a newer request.
let ceremony = 0

/** Runs one WebAuthn request; `signal` cancels it (only while it is still the current one). */
async function within<T>(host: PasskeyHost, start: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const mine = ++ceremony
  const cancel = () => mine === ceremony && WebAuthnAbortService.cancelCeremony()
  if (signal?.aborted) throw new host.RegionlessError('PASSKEY_CANCELLED', 'Aborted before the browser was asked')
  signal?.addEventListener('abort', cancel, { once: true })
  try {
    return await start()
  } catch (err) {
    throw browserError(host, err)
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}

export const createPasskey = (host: PasskeyHost, optionsJSON: PublicKeyCredentialCreationOptionsJSON) =>
  within(host, () => startRegistration({ optionsJSON }))

export const getAssertion = (
  host: PasskeyHost,
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
  { autofill = false, signal }: { autofill?: boolean; signal?: AbortSignal } = {},
) => within(host, () => startAuthentication({ optionsJSON, useBrowserAutofill: autofill }), signal)

/** The username in an assertion: the WebAuthn user handle is the UTF-8 of the stable username, base64url. */
export function usernameOf(response: AuthenticationResponseJSON): string | null {
  const handle = response.response.userHandle
  if (!handle) return null
  const binary = atob(handle.replace(/-/g, '+').replace(/_/g, '/'))
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
}
