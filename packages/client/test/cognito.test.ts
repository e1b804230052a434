import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { createCognitoTransport } from '../src/cognito.js'
import type { ResolvedRegion } from '../src/config.js'
import { isOutageError } from '../src/index.js'
import { useMswServer } from './helpers/setup.js'

const server = useMswServer()
const region: ResolvedRegion = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_A',
  clientId: 'c',
  endpoint: 'https://cognito.test/',
  apiUrl: undefined,
}
const call = createCognitoTransport((i, init) => fetch(i, init), 1_000)

describe('Cognito transport', () => {
  it("speaks Cognito's JSON protocol", async () => {
    let seen: { target: string | null; type: string | null; body: unknown } | undefined
    server.use(
      http.post('https://cognito.test/', async ({ request }) => {
        seen = {
          target: request.headers.get('x-amz-target'),
          type: request.headers.get('content-type'),
          body: await request.json(),
        }
        return HttpResponse.json({ ok: 1 })
      }),
    )
    expect(await call(region, 'InitiateAuth', { a: 1 })).toEqual({ ok: 1 })
    expect(seen).toEqual({
      target: 'AWSCognitoIdentityProviderService.InitiateAuth',
      type: 'application/x-amz-json-1.1',
      body: { a: 1 },
    })
  })

  it('classifies answers: 4xx errors are not outages, 5xx, throttling, network and time-outs are', async () => {
    const answer = (status: number, body: Record<string, string>) =>
      server.use(http.post('https://cognito.test/', () => HttpResponse.json(body, { status })))
    answer(400, { __type: 'CodeMismatchException', message: 'wrong' })
    const mismatch = await rejectionOf(call(region, 'X', {}))
    expect(mismatch).toMatchObject({ code: 'CODE_MISMATCH', region: 'eu-west-1' })
    expect(isOutageError(mismatch)).toBe(false)

    answer(400, { __type: 'TooManyRequestsException', message: 'slow down' })
    expect(isOutageError(await rejectionOf(call(region, 'X', {})))).toBe(true)

    answer(500, { __type: 'InternalErrorException', message: 'x' })
    expect(await rejectionOf(call(region, 'X', {}))).toMatchObject({
      code: 'REGION_UNAVAILABLE',
      cognitoType: 'InternalErrorException',
    })

    server.use(http.post('https://cognito.test/', () => new HttpResponse('<html>gateway</html>', { status: 502 })))
    expect(await rejectionOf(call(region, 'X', {}))).toMatchObject({ code: 'REGION_UNAVAILABLE' })

    server.use(http.post('https://cognito.test/', () => HttpResponse.error()))
    const network = await rejectionOf(call(region, 'X', {}))
    expect(network).toMatchObject({ code: 'NETWORK' })
    expect(isOutageError(network)).toBe(true)
  })

  it('times out a region that never answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      server.use(
        http.post(
          'https://cognito.test/',
          ({ request }) => new Promise((r) => request.signal.addEventListener('abort', () => r(HttpResponse.error()))),
        ),
      )
      const pending = rejectionOf(call(region, 'X', {}, { timeoutMs: 500 }))
      await vi.advanceTimersByTimeAsync(500)
      expect(await pending).toMatchObject({ code: 'TIMEOUT' })
    } finally {
      vi.useRealTimers()
    }
  })

  it("passes the caller's abort through unchanged", async () => {
    server.use(
      http.post(
        'https://cognito.test/',
        ({ request }) => new Promise((r) => request.signal.addEventListener('abort', () => r(HttpResponse.error()))),
      ),
    )
    const controller = new AbortController()
    const pending = rejectionOf(call(region, 'X', {}, { signal: controller.signal }))
    controller.abort(new Error('stop'))
    expect(await pending).toMatchObject({ message: 'stop' })
  })
})
