// aws-amplify v6 against the emulator, in both topologies and every region: what an
// existing Amplify app does when it is pointed at the emulator instead of Cognito.
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { Amplify } from 'aws-amplify'
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth'
import { ConsoleLogger } from 'aws-amplify/utils'
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../../src/index.js'
import { freshEmail, inbox, sdk, signUp } from '../helpers/protocol.js'

// Amplify warns on every call that the endpoint is not Cognito's: that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR'

/** Amplify keeps one configuration per process: point it at one emulated region. */
function useRegion(region: EmulatorRegion) {
  Amplify.configure({
    Auth: {
      Cognito: { userPoolId: region.userPoolId, userPoolClientId: region.clientId, userPoolEndpoint: region.endpoint },
    },
  })
}

/** The Regionless code sign-in driven through Amplify's custom-auth API, step by step. */
async function signInWithCode(emulator: RunningEmulator, email: string) {
  const start = await signIn({ username: usernameForEmail(email), options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } })
  expect(start.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE')
  const method = await confirmSignIn({ challengeResponse: '__method', options: { clientMetadata: { method: 'code' } } })
  expect(method.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE')
  const [mail] = await inbox(emulator, email)
  const done = await confirmSignIn({ challengeResponse: mail!.code! })
  expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } })
}

async function accessTokenWorks(region: EmulatorRegion, accessToken: string) {
  const client = sdk(region)
  try {
    await client.send(new GetUserCommand({ AccessToken: accessToken }))
    return true
  } catch (err) {
    expect((err as Error).name).toBe('NotAuthorizedException')
    return false
  } finally {
    client.destroy()
  }
}

describe.each(['pools', 'replicas'] as const)('aws-amplify v6, %s topology', (topology) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    // No replica lag: a user signed up at the primary signs in at the secondary at once.
    emulator = await startEmulator({ topology, config: { replicaLagMs: 0, triggers: { minSendIntervalSeconds: 0 } } })
  })
  afterAll(() => emulator?.close())
  // A test that fails half-way leaves Amplify signed in; the next one starts signed out.
  afterEach(() => signOut())

  // Sign-up goes to the primary in replicas (the only region that takes writes), to each pool in pools.
  const home = (region: EmulatorRegion) => (topology === 'replicas' ? emulator.config.regions[0]! : region)

  for (const index of [0, 1]) {
    describe(`region ${index + 1}`, () => {
      const region = () => emulator.config.regions[index]!

      it('signs in with CUSTOM_WITHOUT_SRP, one confirmSignIn per step, and gets tokens of this pool', async () => {
        const email = freshEmail('amplify')
        expect((await signUp(home(region()), email)).status).toBe(200)
        useRegion(region())
        await signInWithCode(emulator, email)
        const { tokens } = await fetchAuthSession()
        expect(decodeJwt(tokens!.idToken!.toString())).toMatchObject({ email, iss: region().issuer, token_use: 'id' })
        expect((await getCurrentUser()).username).toMatch(/^u_[0-9a-f]{32}$/)
      })

      it('refreshes with fetchAuthSession({ forceRefresh: true }) (GetTokensFromRefreshToken)', async () => {
        const email = freshEmail('amplify-refresh')
        await signUp(home(region()), email)
        useRegion(region())
        await signInWithCode(emulator, email)
        const before = (await fetchAuthSession()).tokens!.accessToken.toString()
        const after = (await fetchAuthSession({ forceRefresh: true })).tokens!.accessToken.toString()
        expect(after).not.toBe(before)
        expect(decodeJwt(after).origin_jti).toBe(decodeJwt(before).origin_jti)
        expect(await accessTokenWorks(region(), after)).toBe(true)
      })

      it('signOut() revokes the session it ends (RevokeToken), signOut({ global: true }) every session', async () => {
        const email = freshEmail('amplify-out')
        await signUp(home(region()), email)
        useRegion(region())
        await signInWithCode(emulator, email)
        const local = (await fetchAuthSession()).tokens!.accessToken.toString()
        await signOut()
        expect((await fetchAuthSession()).tokens).toBeUndefined()
        expect(await accessTokenWorks(region(), local)).toBe(false)

        await signInWithCode(emulator, email)
        const global = (await fetchAuthSession()).tokens!.accessToken.toString()
        await signOut({ global: true })
        expect(await accessTokenWorks(region(), global)).toBe(false)
      })

      it('answers a wrong code as Cognito does: the challenge continues, then NotAuthorizedException', async () => {
        const email = freshEmail('amplify-wrong')
        await signUp(home(region()), email)
        useRegion(region())
        await signIn({ username: usernameForEmail(email), options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } })
        await confirmSignIn({ challengeResponse: '__method', options: { clientMetadata: { method: 'code' } } })
        const [mail] = await inbox(emulator, email)
        const wrong = mail!.code === '000000' ? '111111' : '000000'
        const again = await confirmSignIn({ challengeResponse: wrong })
        expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE')
        // Wrong answers until the Define trigger ends the sign-in (its attempt limit): Amplify rejects then.
        let error: unknown
        for (let attempt = 0; attempt < 10 && !error; attempt++) {
          error = await confirmSignIn({ challengeResponse: wrong }).then(
            () => undefined,
            (err: unknown) => err,
          )
        }
        expect(error).toMatchObject({ name: 'NotAuthorizedException' })
      })
    })
  }
})

describe('aws-amplify v6 with refresh-token rotation on', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        triggers: { minSendIntervalSeconds: 0 },
        client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } },
      },
    })
  })
  afterAll(() => emulator?.close())
  afterEach(() => signOut())

  it('keeps refreshing: each refresh stores the new refresh token the last one returned', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('amplify-rotation')
    await signUp(region, email)
    useRegion(region)
    await signInWithCode(emulator, email)
    const seen = new Set<string>()
    for (let i = 0; i < 3; i++) {
      const { tokens } = await fetchAuthSession({ forceRefresh: true })
      seen.add(tokens!.accessToken.toString())
    }
    expect(seen.size).toBe(3)
  })
})
