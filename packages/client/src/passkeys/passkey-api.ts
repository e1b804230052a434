import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser'
import type { RegionlessErrorCode } from '../errors.js'
import type { PasskeyHost, PasskeySummary } from '../passkey-plugin.js'
import type { RegistrationResponseJSON } from './webauthn.js'

// The passkeys API answers `{ error, message }`; its codes as the client's.
const API_CODES: Record<string, RegionlessErrorCode> = {
  invalid_request: 'INVALID_PARAMETER',
  unauthorized: 'NOT_AUTHORIZED',
  not_found: 'PASSKEY_NOT_FOUND',
  registration_failed: 'PASSKEY_REGISTRATION_FAILED',
  challenge_expired: 'SESSION_EXPIRED',
  already_registered: 'PASSKEY_EXISTS',
}

/** The body of a passkeys API answer, or its error as a `RegionlessError` (5xx: `REGION_UNAVAILABLE`, an outage). */
export async function readAnswer<T>(host: PasskeyHost, response: Response, region?: string): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string }
  if (response.ok) return body as T
  const code = response.status >= 500 ? 'REGION_UNAVAILABLE' : (API_CODES[`${body.error}`] ?? 'UNKNOWN')
  throw new host.RegionlessError(code, body.message || `Passkeys API: HTTP ${response.status}`, { region })
}

const trim = (url: string) => url.replace(/\/+$/, '')

/** The routes of the passkeys API (see the passkeys contract). */
export function createPasskeyApi(host: PasskeyHost) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method }
    if (body !== undefined) init.body = JSON.stringify(body)
    if (body !== undefined) init.headers = { 'content-type': 'application/json' }
    return readAnswer<T>(host, await host.fetchApi(path, init))
  }
  const at = (id: string) => `passkeys/${encodeURIComponent(id)}`

  return {
    registrationOptions: (displayName: string) =>
      call<{ options: PublicKeyCredentialCreationOptionsJSON }>('POST', 'passkeys/registration-options', {
        displayName,
      }),
    register: (response: RegistrationResponseJSON, name?: string) =>
      call<{ passkey: PasskeySummary }>('POST', 'passkeys', { response, name }),
    list: () => call<{ passkeys: PasskeySummary[] }>('GET', 'passkeys'),
    rename: (id: string, name: string) => call<{ passkey: PasskeySummary }>('PUT', at(id), { name }),
    remove: (id: string) => call<unknown>('DELETE', at(id)),

    /**
     * A challenge for usernameless sign-in, from any healthy region, without a
     * token (nobody is signed in). Safe to ask two regions at once: a challenge
     * nobody answers expires unused.
     */
    async challenge(signal?: AbortSignal): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const { ctx, RegionlessError } = host
      const only = ctx.config.regions.filter((r) => r.apiUrl).map((r) => r.region)
      if (!only.length) throw new TypeError('passkeys: no region has an apiUrl')
      const { value } = await ctx.router.run(
        async ({ region, apiUrl }, lost) => {
          const timeout = AbortSignal.timeout(ctx.config.apiTimeoutMs)
          let response: Response
          try {
            response = await ctx.config.fetch(`${trim(apiUrl!)}/passkeys/challenge`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{}',
              signal: AbortSignal.any(signal ? [lost, timeout, signal] : [lost, timeout]),
            })
          } catch (cause) {
            if (signal?.aborted) throw new RegionlessError('PASSKEY_CANCELLED', 'Aborted', { cause })
            // Like Cognito calls: a refusal, a CORS failure or a time-out is an outage signal.
            throw new RegionlessError(timeout.aborted ? 'TIMEOUT' : 'NETWORK', `Passkeys API in ${region}`, {
              cause,
              region,
            })
          }
          return (await readAnswer<{ options: PublicKeyCredentialRequestOptionsJSON }>(host, response, region)).options
        },
        { only, hedge: true },
      )
      return value
    },
  }
}
