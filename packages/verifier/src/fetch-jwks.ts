import { TokenError } from './errors.js'

export type FetchLike = (
  input: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<Response>

export interface FetchJwksOptions {
  fetch: FetchLike
  /** The whole exchange (connect, headers, body) must finish within this time. */
  timeoutMs: number
  /** Bodies above this size are abandoned while streaming, so a hostile endpoint cannot fill memory. */
  maxBytes: number
}

async function readCapped(response: Response, uri: string, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw new TokenError('JWKS_TOO_LARGE', `JWKS at ${uri} declares ${declared} bytes`, {
      expected: maxBytes,
      found: declared,
    })
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new TokenError('JWKS_TOO_LARGE', `JWKS at ${uri} is larger than ${maxBytes} bytes`, {
        expected: maxBytes,
        found: total,
      })
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total).toString('utf8')
}

/**
 * Downloads and parses a JWKS document with a time-out and a size cap. Never hangs, never buffers an
 * unbounded body; every failure is a TokenError with a JWKS_* code.
 */
export async function fetchJwksJson(uri: string, options: FetchJwksOptions): Promise<unknown> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  timer.unref?.()
  try {
    const init = { signal: controller.signal, headers: { accept: 'application/json' } }
    // One more try, within the same time-out, when the request failed before any answer: a kept-alive
    // connection the server had just closed fails that way, and a pool's keys should not wait 10 s for it.
    const response = await options.fetch(uri, init).catch((error: unknown) => {
      if (controller.signal.aborted) throw error
      return options.fetch(uri, init)
    })
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      throw new TokenError('JWKS_FETCH_FAILED', `JWKS at ${uri} answered HTTP ${response.status}`, {
        expected: 200,
        found: response.status,
      })
    }
    const text = await readCapped(response, uri, options.maxBytes)
    try {
      return JSON.parse(text)
    } catch (cause) {
      throw new TokenError('JWKS_INVALID', `JWKS at ${uri} is not JSON`, { cause })
    }
  } catch (error) {
    if (error instanceof TokenError) throw error
    if (controller.signal.aborted) {
      throw new TokenError('JWKS_TIMEOUT', `JWKS at ${uri} did not answer within ${options.timeoutMs} ms`, {
        expected: options.timeoutMs,
        cause: error,
      })
    }
    throw new TokenError('JWKS_FETCH_FAILED', `JWKS at ${uri} could not be fetched`, { cause: error })
  } finally {
    clearTimeout(timer)
  }
}
