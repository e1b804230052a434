import ky from 'ky'
import type { ResolvedRegion } from './config.js'
import { errorFromCognito, RegionlessError } from './errors.js'

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

const isAbort = (err: unknown, signal?: AbortSignal) => signal?.aborted === true && err === signal.reason

function parse(text: string): unknown {
  if (!text) return {}
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * A Cognito transport over ky: POST to the region endpoint with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`. Every
 * failure becomes a `RegionlessError`; time-outs, network and CORS failures
 * and 5xx answers get outage codes (`TIMEOUT`, `NETWORK`, `REGION_UNAVAILABLE`).
 * A caller's abort is passed through unchanged.
 */
export function createCognitoTransport(fetch: typeof globalThis.fetch, timeoutMs: number): CognitoCall {
  const http = ky.create({ retry: 0, throwHttpErrors: false, fetch })
  return async <T>(
    region: ResolvedRegion,
    operation: string,
    body: Record<string, unknown>,
    call: CallOptions = {},
  ) => {
    let response: Response
    try {
      response = await http.post(region.endpoint, {
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
        timeout: call.timeoutMs ?? timeoutMs,
        signal: call.signal,
      })
    } catch (err) {
      if (isAbort(err, call.signal)) throw err
      const timedOut = (err as { name?: string }).name === 'TimeoutError'
      throw new RegionlessError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        `${operation} in ${region.region}: ${timedOut ? 'no answer in time' : 'network error'}`,
        { cause: err, region: region.region },
      )
    }
    let text: string
    try {
      text = await response.text()
    } catch (err) {
      if (isAbort(err, call.signal)) throw err
      throw new RegionlessError('NETWORK', `${operation} in ${region.region}: answer cut off`, {
        cause: err,
        region: region.region,
      })
    }
    const parsed = parse(text) as Record<string, unknown> | undefined
    if (response.ok && parsed && typeof parsed === 'object') return parsed as T
    if (response.status >= 500 || !parsed || typeof parsed !== 'object') {
      const type = typeof parsed?.__type === 'string' ? parsed.__type : undefined
      throw new RegionlessError('REGION_UNAVAILABLE', `${operation} in ${region.region}: HTTP ${response.status}`, {
        region: region.region,
        cognitoType: type,
      })
    }
    throw errorFromCognito(parsed, region.region)
  }
}
