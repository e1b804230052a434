// Issue 16, item 6: a hostile client cannot touch replication's bookkeeping. Through the real AWS SDK, a
// signed-in user cannot write any custom:rl_* stamp (the app client's write list, as in Cognito), so an
// admin's disable in one pool reaches the user's copy in the other and ends their sessions there.
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  GetTokensFromRefreshTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator } from '../src/index.js'
import { freshEmail, sdk, signInWithCode, signUp } from './helpers/protocol.js'
import { failure, UNAUTHORIZED_WRITE } from './helpers/sdk-errors.js'

const DAY = 86_400_000

describe('replication bookkeeping against a hostile client (pools)', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ topology: 'pools', replication: true })
  })
  afterAll(() => emulator?.close())

  it('refuses every custom:rl_* write by the user, alone or beside an allowed attribute, at sign-up too', async () => {
    const [home] = emulator.config.regions
    const client = sdk(home!)
    const email = freshEmail('hostile')
    await signUp(home!, email)
    const { AccessToken } = await signInWithCode(emulator, home!, email)
    const future = String(Date.now() + DAY)
    for (const Name of ['custom:rl_enabled_at', 'custom:rl_changed_at', 'custom:rl_anything']) {
      const alone = new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name, Value: future }] })
      expect(await failure(client.send(alone))).toEqual(UNAUTHORIZED_WRITE)
      const beside = new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name, Value: future },
        ],
      })
      expect(await failure(client.send(beside))).toEqual(UNAUTHORIZED_WRITE)
    }
    const other = freshEmail('hostile-signup')
    const signUpWithStamp = new SignUpCommand({
      ClientId: home!.clientId,
      Username: usernameForEmail(other),
      Password: `Aa1!${'x'.repeat(28)}`,
      UserAttributes: [
        { Name: 'email', Value: other },
        { Name: 'custom:rl_enabled_at', Value: future },
      ],
    })
    expect(await failure(client.send(signUpWithStamp))).toEqual(UNAUTHORIZED_WRITE)
    client.destroy()
  })

  it("an admin's disable in one pool disables the user's copy in the other, whatever the user tried", async () => {
    const [home, peer] = emulator.config.regions
    const homeClient = sdk(home!)
    const peerClient = sdk(peer!)
    const email = freshEmail('disabled')
    const username = usernameForEmail(email)
    await signUp(home!, email)
    await emulator.replication?.drained()
    const tokens = await signInWithCode(emulator, home!, email)
    const stamp = new UpdateUserAttributesCommand({
      AccessToken: tokens.AccessToken,
      UserAttributes: [{ Name: 'custom:rl_enabled_at', Value: String(Date.now() + DAY) }],
    })
    expect(await failure(homeClient.send(stamp))).toMatchObject({ name: 'NotAuthorizedException' })

    await peerClient.send(new AdminDisableUserCommand({ UserPoolId: peer!.userPoolId, Username: username }))
    await emulator.replication?.drained()
    const copy = await homeClient.send(new AdminGetUserCommand({ UserPoolId: home!.userPoolId, Username: username }))
    expect(copy.Enabled).toBe(false)
    const refresh = new GetTokensFromRefreshTokenCommand({
      ClientId: home!.clientId,
      RefreshToken: tokens.RefreshToken,
    })
    expect(await failure(homeClient.send(refresh))).toMatchObject({ name: 'NotAuthorizedException' })
    homeClient.destroy()
    peerClient.destroy()
  })
})

describe('an app client wrongly allowed to write custom:rl_enabled_at (pools)', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      topology: 'pools',
      replication: true,
      config: { client: { writeAttributes: ['email', 'custom:rl_enabled_at'] } },
    })
  })
  afterAll(() => emulator?.close())

  it("a stamp the user wrote a day ahead does not outvote an admin's disable in the other pool", async () => {
    const [home, peer] = emulator.config.regions
    const homeClient = sdk(home!)
    const peerClient = sdk(peer!)
    const email = freshEmail('self-stamped')
    const username = usernameForEmail(email)
    await signUp(home!, email)
    await emulator.replication?.drained()
    const tokens = await signInWithCode(emulator, home!, email)
    await homeClient.send(
      new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: 'custom:rl_enabled_at', Value: String(Date.now() + DAY) }],
      }),
    )
    await emulator.replication?.drained()

    await peerClient.send(new AdminDisableUserCommand({ UserPoolId: peer!.userPoolId, Username: username }))
    await emulator.replication?.drained()
    const copy = await homeClient.send(new AdminGetUserCommand({ UserPoolId: home!.userPoolId, Username: username }))
    expect(copy.Enabled).toBe(false)
    homeClient.destroy()
    peerClient.destroy()
  })
})
