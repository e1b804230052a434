// destroy() while background work is in flight: the work ends quietly, in Node,
// with no unhandled rejection, no exception and no event after the destroy.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthClient } from '../src/index.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()
const escaped: unknown[] = []
const keep = (err: unknown) => escaped.push(err)
beforeEach(() => {
  escaped.length = 0
  process.on('unhandledRejection', keep)
  process.on('uncaughtException', keep)
})
afterEach(() => {
  process.off('unhandledRejection', keep)
  process.off('uncaughtException', keep)
})

// Lets every promise chain started by a finished response run to its end.
const drain = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

function watchEvents(client: AuthClient) {
  const seen: string[] = []
  for (const name of ['signedIn', 'tokenRefreshed', 'regionChanged', 'signedOut', 'error'] as const)
    client.on(name, () => seen.push(name))
  return seen
}

describe('destroy() with background work in flight', () => {
  it('right after answer() resolves, while the eager bridge saves the session', async () => {
    const { client, cognito } = world(server, { config: { bridge: 'eager' } })
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer(cognito.lastCode()!)
    const seen = watchEvents(client)
    client.destroy()
    // The bridge into us-east-1 (InitiateAuth, method step, answer) goes on and saves its tokens.
    await vi.waitFor(() => expect(cognito.ops('RespondToAuthChallenge', 'us-east-1')).toHaveLength(2))
    await drain()
    expect(escaped).toEqual([])
    expect(seen.filter((e) => e === 'error')).toEqual([])
  })

  it('while a refresh hangs, the session moves to another region and probes run', async () => {
    let inFlight = 0
    const fetch: typeof globalThis.fetch = (input, init) => {
      inFlight++
      return globalThis.fetch(input, init).finally(() => inFlight--)
    }
    const { client, cognito } = world(server, {
      expiresIn: 121,
      config: { bridge: 'on-failover', refreshMarginSeconds: 120, timeoutMs: 400, hedgeDelayMs: 50, fetch },
    })
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer(cognito.lastCode()!)
    // Home stops answering: the refresh due a second after sign-in hangs there.
    cognito.setFault('eu-west-1', 'hang')
    const refreshing = () => cognito.ops('GetTokensFromRefreshToken', 'eu-west-1').length > 0
    await vi.waitFor(() => expect(refreshing()).toBe(true), { timeout: 5_000 })
    // A send fails over to us-east-1, which moves (bridges) the session and probes home.
    const seen = watchEvents(client)
    const moved = new Promise((resolve) => client.on('regionChanged', resolve))
    const send = client.signIn({ email: EMAIL, method: 'code' }).catch(() => {})
    await moved
    client.destroy()
    await send
    // Everything still running ends by its time-out; what follows it must stay quiet.
    await vi.waitFor(() => expect(inFlight).toBe(0), { timeout: 5_000 })
    await drain()
    expect(escaped).toEqual([])
    expect(seen).not.toContain('error')
  })
})
