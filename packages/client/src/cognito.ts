import type { ResolvedRegion } from './config.js'
import { errorFromCognito, RegionlessError } from './errors.js'
import { fetchWithin } from './fetch-within.js'
import type { RegionTask } from './region-router.js'

/** Options of one Cognito call. */
export interface CallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

/** Sends one operation of Cognito's user-facing JSON protocol to one region. */
export type CognitoCall = <T = Record<string, unknown>>(
  region: ResolvedRegion,
  operation: string,
  body: Record<string, unknown>,
  options?: CallOptions,
) => Promise<T>

/**
 * A Cognito transport over `fetch` (no ky here: it would add nothing but
 * bytes): POST to the region endpoint with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`. Every
 * failure becomes a `RegionlessError`; time-outs, network and CORS failures
 * and 5xx answers get outage codes (`TIMEOUT`, `NETWORK`, `REGION_UNAVAILABLE`).
 * A caller's abort is passed through unchanged.
 */
export function createCognitoTransport(fetch: typeof globalThis.fetch, timeoutMs: number): CognitoCall {
  return async <T>(
    region: ResolvedRegion,
    operation: string,
    body: Record<string, unknown>,
    call: CallOptions = {},
  ) => {
    const init = {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
      signal: call.signal,
    }
    const [ok, status, text] = await fetchWithin(
      fetch,
      region.endpoint,
      init,
      call.timeoutMs ?? timeoutMs,
      operation,
      region.region,
      async (r) => [r.ok, r.status, await r.text()] as const,
    )
    let parsed: Record<string, unknown> | undefined
    try {
      parsed = JSON.parse(text || '{}')
    } catch {}
    if (status < 500 && parsed && typeof parsed === 'object') {
      if (ok) return parsed as T
      throw errorFromCognito(parsed, region.region)
    }
    const type = parsed?.__type
    throw new RegionlessError('REGION_UNAVAILABLE', `${operation} in ${region.region}: HTTP ${status}`, {
      region: region.region,
      cognitoType: typeof type === 'string' ? type : undefined,
    })
  }
}

/** A region task calling `operation` for the region's app client, aborted when another region wins. */
export const clientTask =
  <T>(call: CognitoCall, operation: string, body: Record<string, unknown>): RegionTask<T> =>
  (region, signal) =>
    call<T>(region, operation, { ClientId: region.clientId, ...body }, { signal })
