// amazon-cognito-identity-js against the emulator, in both topologies and every region:
// CUSTOM_AUTH through its callbacks, sessions kept in Web Storage, refresh, sign-out.
import { usernameForEmail } from '@regionless/backend'
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../../src/index.js'
import { cognito, freshEmail, inbox, signUp } from '../helpers/protocol.js'

/** Web Storage semantics: a missing key reads as `null` (which the library then sends as `DEVICE_KEY`). */
class WebStorage implements ICognitoStorage {
  readonly items = new Map<string, string>()
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value))
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
  clear() {
    this.items.clear()
  }
}

const poolOf = (region: EmulatorRegion, storage: WebStorage) =>
  new CognitoUserPool({
    UserPoolId: region.userPoolId,
    ClientId: region.clientId,
    endpoint: region.endpoint,
    Storage: storage,
  })

/** The library's callbacks as one promise per call. */
function callbacks(resolve: (value: unknown) => void, reject: (err: Error) => void) {
  return { onSuccess: resolve, onFailure: reject, customChallenge: resolve }
}

/** The Regionless code sign-in through `initiateAuth` and `sendCustomChallengeAnswer`. */
async function signInWithCode(emulator: RunningEmulator, region: EmulatorRegion, email: string, storage: WebStorage) {
  const user = new CognitoUser({ Username: usernameForEmail(email), Pool: poolOf(region, storage), Storage: storage })
  user.setAuthenticationFlowType('CUSTOM_AUTH')
  const details = new AuthenticationDetails({ Username: usernameForEmail(email) })
  const first = await new Promise((resolve, reject) => user.initiateAuth(details, callbacks(resolve, reject)))
  expect(first).toMatchObject({ USERNAME: usernameForEmail(email) })
  await new Promise((resolve, reject) =>
    user.sendCustomChallengeAnswer('__method', callbacks(resolve, reject), { method: 'code' }),
  )
  const [mail] = await inbox(emulator, email)
  const session = await new Promise((resolve, reject) =>
    user.sendCustomChallengeAnswer(mail!.code!, callbacks(resolve, reject)),
  )
  return { user, session: session as CognitoUserSession }
}

/** `getSession` of the user the pool remembers in storage, as a page load does it. */
function storedSession(region: EmulatorRegion, storage: WebStorage) {
  const user = poolOf(region, storage).getCurrentUser()
  if (!user) throw new Error('no user in storage')
  return new Promise<CognitoUserSession>((resolve, reject) =>
    user.getSession((err: Error | null, session: CognitoUserSession | null) => (err ? reject(err) : resolve(session!))),
  )
}

/**
 * Cognito's answer to a refresh with this session's refresh token. Asked directly: the library
 * retries a refused refresh with back-off for ~6 s before it reports the same answer.
 */
async function refreshRefusal(region: EmulatorRegion, session: CognitoUserSession) {
  const { status, body } = await cognito(region.endpoint, 'InitiateAuth', {
    ClientId: region.clientId,
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() },
  })
  return { status, name: String(body.__type), message: body.message }
}

function refreshed(user: CognitoUser, session: CognitoUserSession) {
  return new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err: Error | null, next: CognitoUserSession) =>
      err ? reject(err) : resolve(next),
    ),
  )
}

describe.each(['pools', 'replicas'] as const)('amazon-cognito-identity-js 6, %s topology', (topology) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    // No replica lag: a user signed up at the primary signs in at the secondary at once.
    emulator = await startEmulator({ topology, config: { replicaLagMs: 0, triggers: { minSendIntervalSeconds: 0 } } })
  })
  afterAll(() => emulator?.close())

  const home = (region: EmulatorRegion) => (topology === 'replicas' ? emulator.config.regions[0]! : region)

  for (const index of [0, 1]) {
    describe(`region ${index + 1}`, () => {
      const region = () => emulator.config.regions[index]!

      it('signs in through the CUSTOM_AUTH callbacks and keeps the session in Web Storage', async () => {
        const email = freshEmail('cij')
        await signUp(home(region()), email)
        const storage = new WebStorage()
        const { session } = await signInWithCode(emulator, region(), email, storage)
        expect(session.isValid()).toBe(true)
        expect(decodeJwt(session.getIdToken().getJwtToken())).toMatchObject({ email, iss: region().issuer })
        // A page load: a new pool object over the same storage finds the session.
        const again = await storedSession(region(), storage)
        expect(again.getAccessToken().getJwtToken()).toBe(session.getAccessToken().getJwtToken())
      })

      it('refreshes with refreshSession (REFRESH_TOKEN_AUTH, DEVICE_KEY null from storage)', async () => {
        const email = freshEmail('cij-refresh')
        await signUp(home(region()), email)
        const storage = new WebStorage()
        const { user, session } = await signInWithCode(emulator, region(), email, storage)
        const next = await refreshed(user, session)
        expect(next.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken())
        expect(next.getAccessToken().decodePayload().origin_jti).toBe(
          session.getAccessToken().decodePayload().origin_jti,
        )
      })

      it('globalSignOut revokes the refresh token: the next refresh is refused as Cognito refuses it', async () => {
        const email = freshEmail('cij-out')
        await signUp(home(region()), email)
        const storage = new WebStorage()
        const { user, session } = await signInWithCode(emulator, region(), email, storage)
        await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }))
        expect(await refreshRefusal(region(), session)).toEqual({
          status: 400,
          name: 'NotAuthorizedException',
          message: 'Refresh Token has been revoked',
        })
      })

      it('signOut revokes the tokens (RevokeToken) and clears storage', async () => {
        const email = freshEmail('cij-revoke')
        await signUp(home(region()), email)
        const storage = new WebStorage()
        const { user, session } = await signInWithCode(emulator, region(), email, storage)
        await new Promise<void>((resolve, reject) => user.signOut((err?: Error) => (err ? reject(err) : resolve())))
        expect(poolOf(region(), storage).getCurrentUser()).toBeNull()
        expect(await refreshRefusal(region(), session)).toMatchObject({ status: 400, name: 'NotAuthorizedException' })
      })
    })
  }
})
