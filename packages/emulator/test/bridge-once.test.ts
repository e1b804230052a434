// Issue 16, item 4: one sign-in bridges at most once into each peer pool, and only with the first ID
// token of that sign-in, never with a refreshed one (which a stolen refresh token could mint at will).
import { usernameForEmail } from '@regionless/backend'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { answer, cognito, freshEmail, signInWithCode, signUp, startSignIn, type Wire } from './helpers/protocol.js'

/** A pools emulator with replication and a clock the test can move forward. */
function emulatorWith(regions?: string[]) {
  const ctx = { skewMs: 0 } as { emulator: RunningEmulator; skewMs: number }
  beforeAll(async () => {
    ctx.emulator = await startEmulator({
      topology: 'pools',
      replication: true,
      now: () => Date.now() + ctx.skewMs,
      ...(regions && { regions }),
    })
  })
  afterAll(() => ctx.emulator?.close())
  return ctx
}

/** A user signed up in the first region, replicated to every pool, and signed in there with a code. */
async function signedInUser(emulator: RunningEmulator) {
  const email = freshEmail('bridge-once')
  const [home] = emulator.config.regions
  await signUp(home!, email)
  await emulator.replication?.drained()
  return { username: usernameForEmail(email), tokens: await signInWithCode(emulator, home!, email) }
}

/** The bridge as the client runs it: the method step, then the peer's ID token as the answer. */
async function bridge(into: EmulatorRegion, username: string, idToken: string): Promise<Wire> {
  const challenge = await startSignIn(into, username, { method: 'bridge' })
  expect(challenge.ChallengeParameters.step).toBe('bridge')
  return (await answer(into, challenge, idToken, { method: 'bridge' })).body
}

describe('the session bridge, two pools', () => {
  const ctx = emulatorWith()
  const peer = () => ctx.emulator.config.regions[1]!

  it('stamps a refreshed ID token as Cognito does: the sign-in time kept, a new iat', async () => {
    const { tokens } = await signedInUser(ctx.emulator)
    const first = decodeJwt(tokens.IdToken)
    expect(first.iat).toBe(first.auth_time)
    ctx.skewMs += 2_000
    const refreshed = await refresh(ctx.emulator.config.regions[0]!, tokens.RefreshToken)
    const claims = decodeJwt(refreshed.IdToken)
    expect(claims.auth_time).toBe(first.auth_time)
    expect(claims.origin_jti).toBe(first.origin_jti)
    expect(claims.iat).toBeGreaterThan(first.iat!)
  })

  it('refuses a refreshed ID token, so a refresh token alone never opens a session in a peer', async () => {
    const { username, tokens } = await signedInUser(ctx.emulator)
    ctx.skewMs += 2_000
    const refreshed = await refresh(ctx.emulator.config.regions[0]!, tokens.RefreshToken)
    expect(await bridge(peer(), username, refreshed.IdToken)).toMatchObject({ __type: 'NotAuthorizedException' })
    // The refusal spent nothing: the first ID token of the sign-in still bridges.
    expect((await bridge(peer(), username, tokens.IdToken)).AuthenticationResult?.RefreshToken).toEqual(
      expect.any(String),
    )
  })

  it('bridges one sign-in into a peer once', async () => {
    const { username, tokens } = await signedInUser(ctx.emulator)
    expect((await bridge(peer(), username, tokens.IdToken)).AuthenticationResult?.IdToken).toEqual(expect.any(String))
    expect(await bridge(peer(), username, tokens.IdToken)).toMatchObject({ __type: 'NotAuthorizedException' })
  })
})

describe('the session bridge, three pools', () => {
  const ctx = emulatorWith(['eu-west-1', 'us-east-1', 'ap-south-1'])

  it('bridges one sign-in once into each of the other pools', async () => {
    const { username, tokens } = await signedInUser(ctx.emulator)
    const [, second, third] = ctx.emulator.config.regions
    expect((await bridge(second!, username, tokens.IdToken)).AuthenticationResult).toBeDefined()
    expect((await bridge(third!, username, tokens.IdToken)).AuthenticationResult).toBeDefined()
    expect(await bridge(second!, username, tokens.IdToken)).toMatchObject({ __type: 'NotAuthorizedException' })
    expect(await bridge(third!, username, tokens.IdToken)).toMatchObject({ __type: 'NotAuthorizedException' })
  })
})

async function refresh(region: EmulatorRegion, refreshToken: string): Promise<{ IdToken: string }> {
  const res = await cognito(region.endpoint, 'GetTokensFromRefreshToken', {
    ClientId: region.clientId,
    RefreshToken: refreshToken,
  })
  expect(res.status).toBe(200)
  return res.body.AuthenticationResult
}
