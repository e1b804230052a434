import type { ResolvedRegion } from './config.js'
import type { ClientContext } from './context.js'
import { RegionlessError } from './errors.js'
import { fetchWithin } from './fetch-within.js'
import type { Tokens } from './state.js'

/**
 * Where a relative API path is parked inside a `Request` (which needs an
 * absolute URL) until it is re-targeted to a region's `apiUrl`.
 */
export const PLACEHOLDER = 'https://regionless.invalid/'
const IDEMPOTENT = /^(GET|HEAD|OPTIONS|PUT|DELETE)$/

export interface ApiDeps {
  /** Tokens to send to `region`'s API (that region's own, or another pool's: every API accepts every pool). */
  tokensFor(region: string): Promise<Tokens | null>
  /** A refresh after a 401; null when none was possible. */
  refresh(region: string, stale: Tokens): Promise<Tokens | null>
}

const trim = (url: string) => url.replace(/\/+$/, '')

/**
 * `client.fetchApi`: a `fetch` for the product's API, without ky. Relative
 * paths go to the healthiest region's `apiUrl`, with `Authorization: Bearer
 * <access token>`. On a 401 it refreshes and retries once; idempotent
 * requests (GET, HEAD, OPTIONS, PUT, DELETE) move to the next region on
 * network errors, time-outs and 5xx. An absolute URL under a region's
 * `apiUrl` calls that region only; any other absolute URL goes out
 * untouched, without a token.
 *
 * @example
 * await (await client.fetchApi('me')).json()                            // healthiest region
 * await (await client.fetchApi('https://api.eu.example.com/me')).json() // eu only
 */
export function createApiFetch(ctx: ClientContext, deps: ApiDeps) {
  const { config, router } = ctx
  const apiRegions = config.regions.filter((r) => r.apiUrl).map((r) => r.region)

  async function send(
    request: Request,
    body: ArrayBuffer | undefined,
    path: string,
    { region, apiUrl }: ResolvedRegion,
    signal: AbortSignal,
  ) {
    const url = `${trim(apiUrl!)}/${path.replace(/^\/+/, '')}`
    const attempt = (tokens: Tokens | null) => {
      if (!tokens) throw new RegionlessError('NO_SESSION', 'Not signed in')
      const headers = new Headers(request.headers)
      headers.set('authorization', `Bearer ${tokens.accessToken}`)
      const init = { method: request.method, headers, body, signal, credentials: request.credentials }
      return fetchWithin(config.fetch, url, init, config.apiTimeoutMs, 'API', region, (r) => r)
    }
    const tokens = await deps.tokensFor(region)
    let response = await attempt(tokens)
    const fresh = response.status === 401 && (await deps.refresh(region, tokens!))
    if (fresh) response = await attempt(fresh)
    if (response.status >= 500 && IDEMPOTENT.test(request.method)) {
      throw new RegionlessError('REGION_UNAVAILABLE', `API in ${region}: HTTP ${response.status}`, { region })
    }
    return response
  }

  /** The region whose `apiUrl` `url` is under: the same origin and path prefix, not merely the same first characters. */
  const regionOf = (url: string) =>
    config.regions.find((r) => {
      const base = r.apiUrl && trim(r.apiUrl)
      return base && url.startsWith(base) && /^([/?#]|$)/.test(url.slice(base.length))
    })

  return async function fetchApi(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const relative = typeof input === 'string' && !/^https?:\/\//i.test(input)
    const request =
      input instanceof Request ? input : new Request(relative ? PLACEHOLDER + input.replace(/^\/+/, '') : input, init)
    // ky parks every input under the placeholder (an absolute one too); a direct call parks only relative paths.
    const path = request.url.startsWith(PLACEHOLDER) ? request.url.slice(PLACEHOLDER.length) : request.url
    const pinned = regionOf(path)
    const body = request.body ? await request.arrayBuffer() : undefined
    // An absolute URL under one region's apiUrl is that region's API by the caller's
    // choice: no routing, no failover, and its health does not stop the call.
    if (pinned) return send(request, body, path.slice(trim(pinned.apiUrl!).length), pinned, request.signal)
    // Anyone else's URL goes out as it is: no token, no routing.
    if (/^https?:\/\//i.test(path)) {
      const { method, headers, signal, credentials } = request
      return config.fetch(path, { method, headers, body, signal, credentials })
    }
    if (!apiRegions.length) throw new TypeError('client.fetchApi: no region has an apiUrl')
    const first = router.ranked(apiRegions)[0]
    const only = IDEMPOTENT.test(request.method) || !first ? apiRegions : [first]
    return (await router.run((region, signal) => send(request, body, path, region, signal), { only })).value
  }
}
