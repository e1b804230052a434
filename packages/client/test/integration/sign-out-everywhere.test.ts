// Issue 16, item 4: a sign-out reaches every pool the session was bridged to, including a bridge that
// was still under way when the user signed out, and says which pool it could not reach.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AuthEvents } from '../../src/index.js'
import { readJson } from '../../src/storage.js'
import {
  freshEmail,
  nextEvent,
  REGIONS,
  refreshDirectly,
  signInByCode,
  signUpEverywhere,
  startWorld,
  type World,
} from '../helpers/emulator-world.js'

const [HOME, PEER] = REGIONS as [string, string]

describe('sign-out reaches every pool the session was bridged to (pools)', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld('pools')
  })
  afterAll(() => world.close())
  afterEach(async () => {
    for (const region of REGIONS) await world.fault(region, 'healthy')
  })

  const regionConfig = (name: string) => world.emu.config.regions.find((r) => r.region === name)!

  /** Cognito's answer to a refresh with `refreshToken` in `region`: its `__type` when refused. */
  const refreshIn = async (region: string, refreshToken: string | undefined) => {
    const answer = await refreshDirectly(world, region, refreshToken)
    return answer.status === 200 ? 'refreshed' : answer.type
  }

  async function bridgedSession(key: string) {
    const email = freshEmail()
    await signUpEverywhere(world, email)
    const client = world.client({ storageKey: key, bridge: 'eager' })
    const bridged = nextEvent(client, 'tokenRefreshed', (p) => p.region === PEER)
    await signInByCode(client, world, email)
    await bridged
    const record = await readJson<{ byRegion: Record<string, { refreshToken?: string }> }>(
      world.storage,
      `${key}.session`,
    )
    return {
      client,
      refreshTokens: { home: record?.byRegion[HOME]?.refreshToken, peer: record?.byRegion[PEER]?.refreshToken },
    }
  }

  it('revokes the session in the home pool and in the pool it was bridged to', async () => {
    const { client, refreshTokens } = await bridgedSession('so-both')
    expect(await refreshIn(PEER, refreshTokens.peer)).toBe('refreshed')
    await client.signOut()
    expect(await refreshIn(HOME, refreshTokens.home)).toBe('NotAuthorizedException')
    expect(await refreshIn(PEER, refreshTokens.peer)).toBe('NotAuthorizedException')
  })

  it('revokes the session a bridge obtained after the user signed out', async () => {
    const email = freshEmail()
    await signUpEverywhere(world, email)
    // The peer's answer to the bridge is held until the user has signed out.
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let arrived = (_tokens: { RefreshToken: string }) => {}
    const peerTokens = new Promise<{ RefreshToken: string }>((resolve) => {
      arrived = resolve
    })
    const gated: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      const operation = new Headers(init?.headers).get('x-amz-target') ?? ''
      if (String(input) === regionConfig(PEER).endpoint && operation.endsWith('RespondToAuthChallenge')) {
        const result = (await res.clone().json()).AuthenticationResult
        if (result) {
          arrived(result)
          await gate
        }
      }
      return res
    }
    const client = world.client({ storageKey: 'so-late', bridge: 'eager', fetch: gated, timeoutMs: 10_000 })
    await signInByCode(client, world, email)
    const { RefreshToken } = await peerTokens
    const signedOut = nextEvent(client, 'signedOut', () => true)
    const out = client.signOut()
    await signedOut
    release()
    await out
    expect(client.getSession()).toBeNull()
    expect(await refreshIn(PEER, RefreshToken)).toBe('NotAuthorizedException')
  })

  it('resolves when a pool is down, revokes the others, and reports the pool it could not reach', async () => {
    const { client, refreshTokens } = await bridgedSession('so-down')
    const errors: AuthEvents['error'][] = []
    client.on('error', (e) => errors.push(e))
    await world.fault(PEER, 'down')
    await client.signOut()
    expect(client.getSession()).toBeNull()
    expect(errors.map(({ error }) => error.region)).toEqual([PEER])
    expect(await refreshIn(HOME, refreshTokens.home)).toBe('NotAuthorizedException')
  })
})
