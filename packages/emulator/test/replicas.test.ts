import { usernameForEmail } from '@regionless/backend'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { cognito, freshEmail, signedHeaders, signInWithCode, signUp } from './helpers/protocol.js'

describe('replicas topology', () => {
  let emulator: RunningEmulator
  let primary: EmulatorRegion
  let secondary: EmulatorRegion
  beforeAll(async () => {
    emulator = await startEmulator({ topology: 'replicas', config: { replicaLagMs: 150 } })
    ;[primary, secondary] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
  })
  afterAll(() => emulator?.close())

  const usersIn = async (region: EmulatorRegion) =>
    (await (await fetch(`${emulator.controlUrl}/_regionless/users?region=${region.region}`)).json()) as {
      username: string
      sub: string
    }[]

  it('one pool id and client id, two endpoints', () => {
    expect(secondary.userPoolId).toBe(primary.userPoolId)
    expect(secondary.clientId).toBe(primary.clientId)
    expect(secondary.endpoint).not.toBe(primary.endpoint)
  })

  it('copies a new user to the secondary after the lag, same sub', async () => {
    const email = freshEmail('lag')
    const username = usernameForEmail(email)
    await signUp(primary, email)
    expect((await usersIn(secondary)).some((u) => u.username === username)).toBe(false)
    await emulator.replicas!.settled()
    expect((await usersIn(secondary)).some((u) => u.username === username)).toBe(true)
    const [inPrimary] = (await usersIn(primary)).filter((u) => u.username === username)
    const [inSecondary] = (await usersIn(secondary)).filter((u) => u.username === username)
    expect(inSecondary?.sub).toBe(inPrimary?.sub)
  })

  it('the secondary signs users in; its tokens and the primary tokens work in both', async () => {
    const email = freshEmail('failover')
    await signUp(primary, email)
    await emulator.replicas!.settled()
    expect((await usersIn(secondary)).some((u) => u.username === usernameForEmail(email))).toBe(true)
    const fromSecondary = await signInWithCode(emulator, secondary, email)
    expect(decodeJwt(fromSecondary.IdToken).iss).toBe(primary.issuer)
    const inPrimary = await cognito(primary.endpoint, 'GetUser', { AccessToken: fromSecondary.AccessToken })
    expect(inPrimary.status).toBe(200)
    expect(inPrimary.body.Username).toBe(usernameForEmail(email))
  })

  it('the secondary refuses sign-up, AdminCreateUser and attribute changes', async () => {
    const email = freshEmail('readonly')
    const up = await signUp(secondary, email)
    expect(up.status).toBe(400)
    expect(up.body.__type).toBe('OperationNotEnabledException')
    expect(up.body.message).toContain(primary.region)
    const admin = await cognito(
      secondary.endpoint,
      'AdminCreateUser',
      { UserPoolId: secondary.userPoolId, Username: usernameForEmail(email), MessageAction: 'SUPPRESS' },
      { headers: signedHeaders('AdminCreateUser') },
    )
    expect(admin.body.__type).toBe('OperationNotEnabledException')

    await signUp(primary, email)
    await emulator.replicas!.settled()
    expect((await usersIn(secondary)).some((u) => u.username === usernameForEmail(email))).toBe(true)
    const update = await cognito(
      secondary.endpoint,
      'AdminUpdateUserAttributes',
      {
        UserPoolId: secondary.userPoolId,
        Username: usernameForEmail(email),
        UserAttributes: [{ Name: 'name', Value: 'X' }],
      },
      { headers: signedHeaders('AdminUpdateUserAttributes') },
    )
    expect(update.body.__type).toBe('OperationNotEnabledException')
    const tokens = await signInWithCode(emulator, secondary, email)
    const self = await cognito(secondary.endpoint, 'UpdateUserAttributes', {
      AccessToken: tokens.AccessToken,
      UserAttributes: [{ Name: 'name', Value: 'X' }],
    })
    expect(self.body.__type).toBe('OperationNotEnabledException')
  })
})
