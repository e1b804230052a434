import { PasskeyApiError } from './passkey-api-error.js'
import type { PasskeyService } from './passkey-service.js'

/** One request to the passkey routes, as any HTTP host sees it. */
export interface PasskeyHttpRequest {
  method: string
  /** The path, from `/passkeys` on (`/passkeys/abc`); a stage or base path is the host's to strip. */
  path: string
  /** The raw body, if any. */
  body?: string | undefined
  /** The stable username from a verified access token; undefined when the request carried none. */
  username?: string | undefined
}

export interface PasskeyHttpResponse {
  status: number
  body?: unknown
}

/** The routes of {@link createPasskeyHttpHandler}; `POST /passkeys/challenge` alone needs no token. */
export const PASSKEY_ROUTES = [
  { method: 'POST', path: '/passkeys/challenge', auth: false },
  { method: 'POST', path: '/passkeys/registration-options', auth: true },
  { method: 'POST', path: '/passkeys', auth: true },
  { method: 'GET', path: '/passkeys', auth: true },
  { method: 'PUT', path: '/passkeys/{id}', auth: true },
  { method: 'DELETE', path: '/passkeys/{id}', auth: true },
] as const

const MAX_BODY = 32_768

function parseBody(body: string | undefined): Record<string, unknown> {
  if (body === undefined || body === '') return {}
  if (body.length > MAX_BODY) throw new PasskeyApiError('invalid_request', 'body too large')
  try {
    const value = JSON.parse(body)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value
  } catch {}
  throw new PasskeyApiError('invalid_request', 'body must be a JSON object')
}

/**
 * The passkey routes over a {@link PasskeyService}, independent of the HTTP framework: the deploy
 * app's Lambda, the example API and the emulator all call it. The host verifies the access token and
 * passes the username; the handler only routes, parses and maps refusals to `{ error, message }`.
 *
 * @example
 * const handle = createPasskeyHttpHandler(service)
 * const { status, body } = await handle({ method: 'GET', path: '/passkeys', username })
 */
export function createPasskeyHttpHandler(service: PasskeyService) {
  async function route(request: PasskeyHttpRequest): Promise<PasskeyHttpResponse> {
    const path = request.path.split('?')[0]!.replace(/\/+$/, '')
    const method = request.method.toUpperCase()
    const id = /^\/passkeys\/([A-Za-z0-9_-]{1,1400})$/.exec(path)?.[1]
    if (method === 'POST' && path === '/passkeys/challenge')
      return { status: 200, body: { options: await service.signInChallenge() } }
    const known = path === '/passkeys' || path === '/passkeys/registration-options' || id !== undefined
    if (!known) return { status: 404, body: { error: 'not_found', message: 'No such route' } }
    const { username } = request
    if (username === undefined) throw new PasskeyApiError('unauthorized', 'Sign in first')
    if (method === 'POST' && path === '/passkeys/registration-options') {
      const body = parseBody(request.body)
      return { status: 200, body: { options: await service.registrationOptions(username, body.displayName) } }
    }
    if (method === 'POST' && path === '/passkeys') {
      return { status: 201, body: { passkey: await service.register(username, parseBody(request.body)) } }
    }
    if (method === 'GET' && path === '/passkeys')
      return { status: 200, body: { passkeys: await service.list(username) } }
    if (method === 'PUT' && id !== undefined && id !== 'challenge' && id !== 'registration-options') {
      return { status: 200, body: { passkey: await service.rename(username, id, parseBody(request.body).name) } }
    }
    if (method === 'DELETE' && id !== undefined) {
      await service.remove(username, id)
      return { status: 204 }
    }
    return { status: 405, body: { error: 'invalid_request', message: `${method} is not allowed here` } }
  }

  return async function handle(request: PasskeyHttpRequest): Promise<PasskeyHttpResponse> {
    try {
      return await route(request)
    } catch (err) {
      if (err instanceof PasskeyApiError) return { status: err.status, body: { error: err.code, message: err.message } }
      throw err
    }
  }
}

export type PasskeyHttpHandler = ReturnType<typeof createPasskeyHttpHandler>
