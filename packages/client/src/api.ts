import ky, { type KyInstance } from 'ky'
import type { ResolvedRegion } from './config.js'
import type { ClientContext } from './context.js'
import { RegionlessError } from './errors.js'
import { fetchWithin } from './fetch-within.js'
import type { Tokens } from './state.js'

// ky needs an absolute prefix; requests are re-targeted to a region's apiUrl in `fetch`.
const PLACEHOLDER = 'https://regionless.invalid/'
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])

export interface ApiDeps {
  /** Tokens to send to `region`'s API (that region's own, or another pool's: every API accepts every pool). */
  tokensFor(region: string): Promise<Tokens | null>
  /** A refresh after a 401; null when none was possible. */
  refresh(region: string, stale: Tokens): Promise<Tokens | null>
}

const trim = (url: string) => url.replace(/\/+$/, '')
const join = (base: string, path: string) => `${trim(base)}/${path.replace(/^\/+/, '')}`

/**
 * `client.api`: a ky instance whose relative URLs go to the healthiest
 * region's `apiUrl`, with `Authorization: Bearer <access token>`. On a 401 it
 * refreshes and retries once; idempotent requests (GET, HEAD, OPTIONS, PUT,
 * DELETE) move to the next region on network errors, time-outs and 5xx.
 * An absolute URL under a region's `apiUrl` calls that region only.
 *
 * @example
 * await client.api.get('me').json()                            // healthiest region
 * await client.api.get('https://api.eu.example.com/me').json() // eu only
 */
export function createApi(ctx: ClientContext, deps: ApiDeps): KyInstance {
  const apiRegions = ctx.config.regions.filter((r) => r.apiUrl).map((r) => r.region)

  async function send(
    request: Request,
    body: ArrayBuffer | undefined,
    path: string,
    region: ResolvedRegion,
    signal: AbortSignal,
  ) {
    let tokens = await deps.tokensFor(region.region)
    if (!tokens) throw new RegionlessError('NO_SESSION', 'Not signed in')
    const attempt = (t: Tokens) => {
      const headers = new Headers(request.headers)
      headers.set('authorization', `Bearer ${t.accessToken}`)
      const init = { method: request.method, headers, body, signal, credentials: request.credentials }
      return fetchWithin(
        ctx.config.fetch,
        join(region.apiUrl!, path),
        init,
        ctx.config.apiTimeoutMs,
        'API',
        region.region,
        (r) => r,
      )
    }
    let response = await attempt(tokens)
    if (response.status === 401) {
      const fresh = await deps.refresh(region.region, tokens)
      if (fresh) {
        tokens = fresh
        response = await attempt(fresh)
      }
    }
    if (response.status >= 500 && IDEMPOTENT.has(request.method)) {
      throw new RegionlessError('REGION_UNAVAILABLE', `API in ${region.region}: HTTP ${response.status}`, {
        region: region.region,
      })
    }
    return response
  }

  async function routedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init)
    if (!request.url.startsWith(PLACEHOLDER)) return ctx.config.fetch(request)
    if (apiRegions.length === 0) throw new TypeError('client.api: no region has an apiUrl')
    const path = request.url.slice(PLACEHOLDER.length)
    const body = request.body ? await request.arrayBuffer() : undefined
    // An absolute URL under one region's apiUrl is that region's API by the caller's
    // choice: no routing, no failover, and its health does not stop the call.
    const pinned = ctx.config.regions.find((r) => r.apiUrl && path.startsWith(trim(r.apiUrl)))
    if (pinned) return send(request, body, path.slice(trim(pinned.apiUrl!).length), pinned, request.signal)
    const idempotent = IDEMPOTENT.has(request.method)
    const first = ctx.router.ranked(apiRegions)[0]
    const only = idempotent || !first ? apiRegions : [first]
    const { value } = await ctx.router.run((region, signal) => send(request, body, path, region, signal), { only })
    return value
  }

  return ky.create({ prefixUrl: PLACEHOLDER, retry: 0, timeout: false, fetch: routedFetch })
}
