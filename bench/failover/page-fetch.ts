// A `fetch` that pays what a browser page pays: the page's origin differs
// from Cognito's and the API's, and every call the client makes carries
// headers that need a CORS preflight (x-amz-target, an application/x-amz-json
// body, Authorization). A fresh page has no preflight cached, so its first
// call to each URL is two round trips, and a slow or black-holed region delays
// the preflight too. Node's fetch sends none: without this, the bench would
// time a path no browser takes.

/** The origin the bench's "page" is served from (also where magic links lead). */
export const PAGE_ORIGIN = 'http://127.0.0.1:5173'

/** A fetch with its own preflight cache, like one page load (the cache outlives any journey here). */
export function pageFetch(origin = PAGE_ORIGIN): typeof fetch {
  const preflighted = new Map<string, Promise<void>>()

  function preflight(url: string, method: string, headers: Headers, signal: AbortSignal | null | undefined) {
    let done = preflighted.get(url)
    if (!done) {
      done = fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          'access-control-request-headers': [...headers.keys()].join(','),
        },
        ...(signal && { signal }),
      }).then(async (res) => {
        await res.arrayBuffer()
        // A browser fails the call itself when its preflight fails, as a network error.
        if (!res.ok) throw new TypeError(`Failed to fetch (preflight: HTTP ${res.status})`)
      })
      preflighted.set(url, done)
      // A failed or aborted preflight is not cached: the next call tries again.
      done.catch(() => preflighted.delete(url))
    }
    return done
  }

  return async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined
    const url = request ? request.url : String(input)
    const headers = new Headers(init.headers ?? request?.headers)
    await preflight(url, init.method ?? request?.method ?? 'GET', headers, init.signal ?? request?.signal)
    headers.set('origin', origin)
    return fetch(input, { ...init, headers })
  }
}
