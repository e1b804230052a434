import { HttpResponse, http } from 'msw'
import type { FakeRegion } from './fake-cognito.js'

/** A product API per region: answers who called with which token, or fails on demand. */
export function createFakeApi(regions: FakeRegion[]) {
  const faults = new Map<string, 'down' | 'error' | 'unauthorized-once'>()
  const seen: Array<{ region: string; method: string; path: string; auth: string | null; body: string }> = []
  const handlers = regions.map((r) =>
    http.all(`${r.apiUrl}/*`, async ({ request }) => {
      const url = new URL(request.url)
      const auth = request.headers.get('authorization')
      seen.push({
        region: r.region,
        method: request.method,
        path: url.pathname + url.search,
        auth,
        body: await request.text(),
      })
      const fault = faults.get(r.region)
      if (fault === 'down') return HttpResponse.error()
      if (fault === 'error') return HttpResponse.json({ message: 'boom' }, { status: 503 })
      if (fault === 'unauthorized-once') {
        faults.delete(r.region)
        return HttpResponse.json({ message: 'expired' }, { status: 401 })
      }
      if (!auth?.startsWith('Bearer ')) return HttpResponse.json({ message: 'no token' }, { status: 401 })
      return HttpResponse.json({ region: r.region, path: url.pathname })
    }),
  )
  return {
    handlers,
    seen,
    setFault(region: string, fault: 'down' | 'error' | 'unauthorized-once' | undefined) {
      if (fault) faults.set(region, fault)
      else faults.delete(region)
    },
  }
}

/** The JWT payload of a Bearer header. */
export const bearerClaims = (auth: string | null | undefined) =>
  JSON.parse(Buffer.from((auth ?? '').replace('Bearer ', '').split('.')[1] ?? '', 'base64url').toString() || '{}')
