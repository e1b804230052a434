import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type AuthClient, type AuthClientConfig, createAuthClient, memoryStorage } from '../../src/index.js'
import { createFakeCognito, type FakeRegion, regionsFor } from './fake-cognito.js'

/** One msw server per test file; any request without a handler fails the test. */
export function useMswServer() {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
  return server
}

export interface World {
  regions: FakeRegion[]
  cognito: ReturnType<typeof createFakeCognito>
  client: AuthClient
  make(overrides?: Partial<AuthClientConfig>): AuthClient
}

const clients: AuthClient[] = []
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})

/** A fake Cognito in two regions (pools unless told) and a client on it. */
export function world(
  server: ReturnType<typeof setupServer>,
  options: {
    names?: string[]
    topology?: 'pools' | 'replicas'
    api?: boolean
    expiresIn?: number
    config?: Partial<AuthClientConfig>
  } = {},
): World {
  const topology = options.topology ?? 'pools'
  const regions = regionsFor(options.names ?? ['eu-west-1', 'us-east-1'], { topology, api: options.api })
  const cognito = createFakeCognito(regions, { expiresIn: options.expiresIn, now: options.config?.now })
  server.use(...cognito.handlers)
  const storage = memoryStorage()
  const make = (overrides: Partial<AuthClientConfig> = {}) => {
    const c = createAuthClient({ topology, regions, storage, bridge: 'off', ...options.config, ...overrides })
    clients.push(c)
    return c
  }
  return { regions, cognito, client: make(), make }
}

export const EMAIL = 'ana@example.com'
export const USERNAME = 'u_8e43ca37701228e74983efdbd0cff5c1' // usernameForEmail(EMAIL), checked in identity.test.ts
