// Refresh tokens through the AWS SDK: GetTokensFromRefreshToken with and without the app client's
// refresh-token rotation, the grace period, revocation of a whole rotated family, and rotation across
// the two regions of a replicated pool.
import {
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { freshEmail, sdk, signInWithCode, signUp } from './helpers/protocol.js'
import { failure } from './helpers/sdk-errors.js'

const DAY_MS = 86_400_000

/** An emulator whose clock a test can move forward; `reset()` brings it back to real time. */
async function emulatorWithClock(options: Parameters<typeof startEmulator>[0] = {}) {
  let offsetMs = 0
  const emulator = await startEmulator({ ...options, now: () => Date.now() + offsetMs })
  return {
    emulator,
    advance: (ms: number) => {
      offsetMs += ms
    },
    reset: () => {
      offsetMs = 0
    },
  }
}

async function signedIn(emulator: RunningEmulator, region: EmulatorRegion) {
  const email = freshEmail('refresh')
  await signUp(region, email)
  return { email, ...(await signInWithCode(emulator, region, email)) }
}

function refreshWith(client: CognitoIdentityProviderClient, region: EmulatorRegion, token: string) {
  return client.send(new GetTokensFromRefreshTokenCommand({ ClientId: region.clientId, RefreshToken: token }))
}

describe('refresh tokens, rotation off (the default)', () => {
  let emulator: RunningEmulator
  let region: EmulatorRegion
  let client: CognitoIdentityProviderClient
  beforeAll(async () => {
    emulator = await startEmulator()
    region = emulator.config.regions[0]!
    client = sdk(region)
  })
  afterAll(async () => {
    client?.destroy()
    await emulator?.close()
  })

  it('GetTokensFromRefreshToken issues new ID and access tokens of the same sign-in, and no refresh token', async () => {
    const first = await signedIn(emulator, region)
    const { AuthenticationResult: result } = await refreshWith(client, region, first.RefreshToken)
    expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 })
    expect(result?.RefreshToken).toBeUndefined()
    const id = decodeJwt(result?.IdToken ?? '')
    expect(id.origin_jti).toBe(decodeJwt(first.IdToken).origin_jti)
    expect(id.jti).not.toBe(decodeJwt(first.IdToken).jti)
    expect((await client.send(new GetUserCommand({ AccessToken: result?.AccessToken }))).Username).toBe(
      usernameForEmail(first.email),
    )
    // The token stays valid, for this operation and for REFRESH_TOKEN_AUTH alike.
    await expect(refreshWith(client, region, first.RefreshToken)).resolves.toBeTruthy()
    const viaInitiateAuth = await client.send(
      new InitiateAuthCommand({
        ClientId: region.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
      }),
    )
    expect(viaInitiateAuth.AuthenticationResult?.RefreshToken).toBeUndefined()
  })

  it("refuses unknown and revoked tokens with Cognito's messages", async () => {
    expect(await failure(refreshWith(client, region, 'not-a-refresh-token'))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
      status: 400,
    })
    const other = new GetTokensFromRefreshTokenCommand({ ClientId: 'someotherclient', RefreshToken: 'x' })
    expect(await failure(client.send(other))).toMatchObject({ name: 'ResourceNotFoundException', status: 400 })
    const missing = new GetTokensFromRefreshTokenCommand({ ClientId: region.clientId } as never)
    expect(await failure(client.send(missing))).toMatchObject({ name: 'InvalidParameterException' })

    const { RefreshToken } = await signedIn(emulator, region)
    await client.send(new RevokeTokenCommand({ ClientId: region.clientId, Token: RefreshToken }))
    const revoked = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked', status: 400 }
    expect(await failure(refreshWith(client, region, RefreshToken))).toEqual(revoked)
    const initiate = new InitiateAuthCommand({
      ClientId: region.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: RefreshToken },
    })
    expect(await failure(client.send(initiate))).toEqual(revoked)
  })
})

describe('refresh-token rotation (Feature ENABLED, RetryGracePeriodSeconds 5)', () => {
  let clock: Awaited<ReturnType<typeof emulatorWithClock>>
  let emulator: RunningEmulator
  let region: EmulatorRegion
  let client: CognitoIdentityProviderClient
  beforeAll(async () => {
    clock = await emulatorWithClock({
      config: {
        client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 5 } },
        // One test signs the same user in twice in a few milliseconds.
        triggers: { minSendIntervalSeconds: 0 },
      },
    })
    emulator = clock.emulator
    region = emulator.config.regions[0]!
    client = sdk(region)
  })
  afterEach(() => clock.reset())
  afterAll(async () => {
    client?.destroy()
    await emulator?.close()
  })

  it('answers every refresh with a new refresh token; the old one lives for the grace period only', async () => {
    const { RefreshToken: first, IdToken } = await signedIn(emulator, region)
    const one = (await refreshWith(client, region, first)).AuthenticationResult
    expect(one?.RefreshToken).toEqual(expect.any(String))
    expect(one?.RefreshToken).not.toBe(first)
    expect(decodeJwt(one?.IdToken ?? '').origin_jti).toBe(decodeJwt(IdToken).origin_jti)

    // A client that lost the answer retries with the old token within the grace period.
    clock.advance(4_000)
    const retried = (await refreshWith(client, region, first)).AuthenticationResult
    expect(retried?.RefreshToken).not.toBe(one?.RefreshToken)

    clock.advance(2_000)
    expect(await failure(refreshWith(client, region, first))).toMatchObject({
      name: 'RefreshTokenReuseException',
      status: 400,
    })
    const two = (await refreshWith(client, region, one?.RefreshToken ?? '')).AuthenticationResult
    expect(two?.RefreshToken).toEqual(expect.any(String))
  })

  it('refuses REFRESH_TOKEN_AUTH: a rotating app client cannot enable that flow', async () => {
    const { RefreshToken } = await signedIn(emulator, region)
    for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      const initiate = new InitiateAuthCommand({
        ClientId: region.clientId,
        AuthFlow: flow,
        AuthParameters: { REFRESH_TOKEN: RefreshToken },
      })
      expect(await failure(client.send(initiate))).toEqual({
        name: 'InvalidParameterException',
        message: `${flow} flow not enabled for this client`,
        status: 400,
      })
    }
    // The refusal spent nothing: the token still rotates.
    await expect(refreshWith(client, region, RefreshToken)).resolves.toBeTruthy()
  })

  it('never extends the sign-in: rotated tokens expire when the first one would have', async () => {
    const { RefreshToken } = await signedIn(emulator, region)
    clock.advance(29 * DAY_MS)
    const rotated = (await refreshWith(client, region, RefreshToken)).AuthenticationResult?.RefreshToken ?? ''
    clock.advance(2 * DAY_MS)
    expect(await failure(refreshWith(client, region, rotated))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
      status: 400,
    })
  })

  it('RevokeToken on any token of a rotated family ends the whole family, ID and access tokens included', async () => {
    const { RefreshToken: first } = await signedIn(emulator, region)
    const one = (await refreshWith(client, region, first)).AuthenticationResult
    const two = (await refreshWith(client, region, one?.RefreshToken ?? '')).AuthenticationResult
    await client.send(new RevokeTokenCommand({ ClientId: region.clientId, Token: one?.RefreshToken }))
    for (const token of [first, one?.RefreshToken, two?.RefreshToken]) {
      expect(await failure(refreshWith(client, region, token ?? ''))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Refresh Token has been revoked',
        status: 400,
      })
    }
    expect(await failure(client.send(new GetUserCommand({ AccessToken: two?.AccessToken })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    })
  })

  it('GlobalSignOut and AdminUserGlobalSignOut end rotated tokens too', async () => {
    const user = await signedIn(emulator, region)
    const rotated = (await refreshWith(client, region, user.RefreshToken)).AuthenticationResult
    await client.send(new GlobalSignOutCommand({ AccessToken: rotated?.AccessToken }))
    expect(await failure(refreshWith(client, region, rotated?.RefreshToken ?? ''))).toMatchObject({
      message: 'Refresh Token has been revoked',
    })

    const again = await signInWithCode(emulator, region, user.email)
    const next = (await refreshWith(client, region, again.RefreshToken)).AuthenticationResult
    await client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: region.userPoolId, Username: usernameForEmail(user.email) }),
    )
    expect(await failure(refreshWith(client, region, next?.RefreshToken ?? ''))).toMatchObject({
      message: 'Refresh Token has been revoked',
    })
  })
})

describe('refresh-token rotation in the replicas topology (one token store, RetryGracePeriodSeconds 0)', () => {
  let emulator: RunningEmulator
  let primary: EmulatorRegion
  let secondary: EmulatorRegion
  const clients: CognitoIdentityProviderClient[] = []
  beforeAll(async () => {
    emulator = await startEmulator({
      topology: 'replicas',
      config: { replicaLagMs: 0, client: { refreshTokenRotation: { feature: 'ENABLED' } } },
    })
    ;[primary, secondary] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
    clients.push(sdk(primary), sdk(secondary))
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await emulator?.close()
  })

  it('a token rotated in one region is spent in the other, and its successor works in both', async () => {
    const [inPrimary, inSecondary] = clients as [CognitoIdentityProviderClient, CognitoIdentityProviderClient]
    const email = freshEmail('replica-rotation')
    await signUp(primary, email)
    await vi.waitFor(async () => {
      const users = await (await fetch(`${emulator.controlUrl}/_regionless/users?region=${secondary.region}`)).json()
      expect(users).toContainEqual(expect.objectContaining({ username: usernameForEmail(email) }))
    })
    const tokens = await signInWithCode(emulator, primary, email)
    const rotated = (await refreshWith(inSecondary, secondary, tokens.RefreshToken)).AuthenticationResult
    // No grace period: the submitted token is spent at once, in every region.
    expect(await failure(refreshWith(inPrimary, primary, tokens.RefreshToken))).toMatchObject({
      name: 'RefreshTokenReuseException',
    })
    const again = (await refreshWith(inPrimary, primary, rotated?.RefreshToken ?? '')).AuthenticationResult
    expect(again?.RefreshToken).toEqual(expect.any(String))
    expect(await failure(refreshWith(inSecondary, secondary, rotated?.RefreshToken ?? ''))).toMatchObject({
      name: 'RefreshTokenReuseException',
    })
  })
})
