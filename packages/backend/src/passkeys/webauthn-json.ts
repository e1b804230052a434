import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers'

// The browser's answers arrive as JSON from the network: their shape is checked here, before anything
// reaches the WebAuthn library, so a malformed answer is a plain refusal and never an exception deep inside.

const isB64 = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && isoBase64URL.isBase64URL(value)

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** What the client put in `clientDataJSON`: the challenge it signed and the page it signed on. */
export interface ClientData {
  challenge: string
  origin: string
  type: string
}

export function readClientData(clientDataJSON: string): ClientData | undefined {
  try {
    const data = decodeClientDataJSON(clientDataJSON) as unknown as Record<string, unknown>
    const { challenge, origin, type } = data
    if (typeof challenge !== 'string' || typeof origin !== 'string' || typeof type !== 'string') return undefined
    return { challenge, origin, type }
  } catch {
    return undefined
  }
}

/** An authentication response (what `navigator.credentials.get()` gave, as JSON), or undefined. */
export function parseAuthenticationResponse(value: unknown): AuthenticationResponseJSON | undefined {
  let parsed = value
  if (typeof value === 'string') {
    if (value.length > 16_384) return undefined
    try {
      parsed = JSON.parse(value)
    } catch {
      return undefined
    }
  }
  const body = objectOf(parsed)
  const response = objectOf(body?.response)
  if (!body || !response || body.type !== 'public-key' || !isB64(body.id) || body.rawId !== body.id) return undefined
  if (!isB64(response.clientDataJSON) || !isB64(response.authenticatorData) || !isB64(response.signature))
    return undefined
  if (response.userHandle !== undefined && typeof response.userHandle !== 'string') return undefined
  return body as unknown as AuthenticationResponseJSON
}

/** A registration response (what `navigator.credentials.create()` gave, as JSON), or undefined. */
export function parseRegistrationResponse(value: unknown): RegistrationResponseJSON | undefined {
  const body = objectOf(value)
  const response = objectOf(body?.response)
  if (!body || !response || body.type !== 'public-key' || !isB64(body.id) || body.rawId !== body.id) return undefined
  if (!isB64(response.clientDataJSON) || !isB64(response.attestationObject)) return undefined
  if (response.transports !== undefined && !Array.isArray(response.transports)) return undefined
  return body as unknown as RegistrationResponseJSON
}

/** The WebAuthn user handle of a stable username: its UTF-8 bytes, base64url. */
export const userHandleOf = (username: string) => isoBase64URL.fromUTF8String(username)
