// The pool's and the app client's rules as the deployed CDK construct sets them, through the AWS
// SDK: SignUp needs a password unless the pool allows a passwordless first factor, and the app
// client's ReadAttributes and WriteAttributes bind SignUp, UpdateUserAttributes and GetUser.
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  GetUserCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorConfigFile, type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { freshEmail, sdk, signInWithCode } from './helpers/protocol.js'
import { failure, UNAUTHORIZED_WRITE } from './helpers/sdk-errors.js'

/** One emulator with `config`, its first region and an SDK client for it. */
function emulatorWith(config: EmulatorConfigFile) {
  const ctx = {} as { emulator: RunningEmulator; region: EmulatorRegion; client: CognitoIdentityProviderClient }
  beforeAll(async () => {
    ctx.emulator = await startEmulator({ config })
    ctx.region = ctx.emulator.config.regions[0]!
    ctx.client = sdk(ctx.region)
  })
  afterAll(async () => {
    ctx.client?.destroy()
    await ctx.emulator?.close()
  })
  return ctx
}

function signUpCommand(region: EmulatorRegion, email: string, extra: Partial<SignUpCommand['input']> = {}) {
  return new SignUpCommand({
    ClientId: region.clientId,
    Username: usernameForEmail(email),
    UserAttributes: [{ Name: 'email', Value: email }],
    ...extra,
  })
}

describe('a pool and app client as deployed (password first factor only, WriteAttributes ["email"])', () => {
  const ctx = emulatorWith({})

  it('refuses SignUp without a password, omitted or blank, and accepts one that meets the policy', async () => {
    const { region, client } = ctx
    for (const password of [undefined, '']) {
      const command = signUpCommand(region, freshEmail('nopass'), password === undefined ? {} : { Password: password })
      expect(await failure(client.send(command))).toEqual({
        name: 'InvalidParameterException',
        message:
          "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null",
        status: 400,
      })
    }
    const created = await client.send(signUpCommand(region, freshEmail('pass'), { Password: `Aa1!${'x'.repeat(28)}` }))
    expect(created.UserConfirmed).toBe(true)
  })

  it('refuses SignUp with an attribute the app client may not write', async () => {
    const { region, client } = ctx
    const email = freshEmail('attrs')
    for (const extra of [
      { Name: 'given_name', Value: 'Ada' },
      { Name: 'email_verified', Value: 'true' },
    ]) {
      const command = signUpCommand(region, email, {
        Password: `Aa1!${'x'.repeat(28)}`,
        UserAttributes: [{ Name: 'email', Value: email }, extra],
      })
      expect(await failure(client.send(command))).toEqual(UNAUTHORIZED_WRITE)
    }
  })

  it('GetUser shows standard attributes and the verified flags, never custom ones; admins see everything', async () => {
    const { emulator, region, client } = ctx
    const email = freshEmail('read')
    const username = usernameForEmail(email)
    await client.send(signUpCommand(region, email, { Password: `Aa1!${'x'.repeat(28)}` }))
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: region.userPoolId,
        Username: username,
        UserAttributes: [
          { Name: 'custom:rl_changed_at', Value: '1700000000000' },
          { Name: 'locale', Value: 'fr' },
        ],
      }),
    )
    const { AccessToken } = await signInWithCode(emulator, region, email)
    const mine = await client.send(new GetUserCommand({ AccessToken }))
    expect(mine.UserAttributes?.map((a) => a.Name).sort()).toEqual(['email', 'email_verified', 'locale', 'sub'])
    const admin = await client.send(new AdminGetUserCommand({ UserPoolId: region.userPoolId, Username: username }))
    expect(admin.UserAttributes).toContainEqual({ Name: 'custom:rl_changed_at', Value: '1700000000000' })

    const write = (Name: string) =>
      client.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name, Value: 'x' }] }))
    expect(await failure(write('locale'))).toEqual(UNAUTHORIZED_WRITE)
    expect(await failure(write('custom:rl_changed_at'))).toEqual(UNAUTHORIZED_WRITE)
  })
})

describe('a pool that allows an email one-time password as first factor', () => {
  const ctx = emulatorWith({ pool: { allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } })

  it('signs users up without a password, omitted or blank', async () => {
    const { region, client } = ctx
    const omitted = await client.send(signUpCommand(region, freshEmail('otp')))
    expect(omitted.UserSub).toEqual(expect.any(String))
    const blank = await client.send(signUpCommand(region, freshEmail('otp'), { Password: '' }))
    expect(blank.UserSub).toEqual(expect.any(String))
    const weak = signUpCommand(region, freshEmail('otp'), { Password: 'short' })
    expect(await failure(client.send(weak))).toMatchObject({ name: 'InvalidPasswordException' })
  })
})

describe('an app client with its own ReadAttributes and WriteAttributes', () => {
  const ctx = emulatorWith({
    client: { readAttributes: ['email', 'given_name', 'custom:tier'], writeAttributes: ['email', 'given_name'] },
  })

  it('lets users write and read exactly what the lists hold', async () => {
    const { emulator, region, client } = ctx
    const email = freshEmail('lists')
    await client.send(
      signUpCommand(region, email, {
        Password: `Aa1!${'x'.repeat(28)}`,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'given_name', Value: 'Ada' },
        ],
      }),
    )
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: region.userPoolId,
        Username: usernameForEmail(email),
        UserAttributes: [
          { Name: 'custom:tier', Value: 'gold' },
          { Name: 'locale', Value: 'fr' },
        ],
      }),
    )
    const { AccessToken } = await signInWithCode(emulator, region, email)
    await client.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'given_name', Value: 'Grace' }] }),
    )
    const mine = await client.send(new GetUserCommand({ AccessToken }))
    expect(Object.fromEntries((mine.UserAttributes ?? []).map((a) => [a.Name, a.Value]))).toEqual({
      sub: expect.any(String),
      email,
      given_name: 'Grace',
      'custom:tier': 'gold',
    })
    const tier = new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'custom:tier', Value: 'x' }] })
    expect(await failure(client.send(tier))).toEqual(UNAUTHORIZED_WRITE)
  })
})
