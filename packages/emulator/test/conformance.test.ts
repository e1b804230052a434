import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  DeleteUserCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { cognito, freshEmail, inbox, sdk } from './helpers/protocol.js'
import { failure } from './helpers/sdk-errors.js'

describe('conformance with @aws-sdk/client-cognito-identity-provider', () => {
  let emulator: RunningEmulator
  let region: EmulatorRegion
  let client: CognitoIdentityProviderClient
  beforeAll(async () => {
    // Several sign-ins per user in a few milliseconds: no minimum interval between emails here.
    emulator = await startEmulator({ config: { triggers: { minSendIntervalSeconds: 0 } } })
    region = emulator.config.regions[0]!
    client = sdk(region)
  })
  afterAll(async () => {
    client?.destroy()
    await emulator?.close()
  })

  const pool = () => ({ UserPoolId: region.userPoolId })

  async function signedUp(email = freshEmail()) {
    const username = usernameForEmail(email)
    const out = await client.send(
      new SignUpCommand({
        ClientId: region.clientId,
        Username: username,
        Password: 'Throwaway-1!pass',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    )
    return { email, username, sub: out.UserSub }
  }

  /** CUSTOM_AUTH through the SDK: method step, then the code from the inbox. */
  async function signedIn(email: string) {
    const init = await client.send(
      new InitiateAuthCommand({
        ClientId: region.clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: usernameForEmail(email) },
      }),
    )
    const method = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: region.clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: init.Session,
        ChallengeResponses: { USERNAME: init.ChallengeParameters?.USERNAME ?? '', ANSWER: '__method' },
        ClientMetadata: { method: 'code' },
      }),
    )
    const [mail] = await inbox(emulator, email)
    const done = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: region.clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: method.Session,
        ChallengeResponses: { USERNAME: method.ChallengeParameters?.USERNAME ?? '', ANSWER: mail?.code ?? '' },
        ClientMetadata: { method: 'code' },
      }),
    )
    const result = done.AuthenticationResult
    if (!result?.AccessToken || !result.RefreshToken) throw new Error('no tokens')
    return { access: result.AccessToken, refresh: result.RefreshToken }
  }

  it('SignUp: confirmed by the real PreSignUp, and the errors Cognito gives', async () => {
    const { email, username, sub } = await signedUp()
    expect(sub).toMatch(/^[0-9a-f-]{36}$/)
    const again = new SignUpCommand({
      ClientId: region.clientId,
      Username: username,
      Password: 'Throwaway-1!pass',
      UserAttributes: [{ Name: 'email', Value: email }],
    })
    expect(await failure(client.send(again))).toMatchObject({ name: 'UsernameExistsException', status: 400 })
    const emailName = new SignUpCommand({ ClientId: region.clientId, Username: email, Password: 'Throwaway-1!pass' })
    expect(await failure(client.send(emailName))).toMatchObject({ name: 'InvalidParameterException' })
    const weak = new SignUpCommand({ ClientId: region.clientId, Username: 'u_weak', Password: 'short' })
    expect(await failure(client.send(weak))).toMatchObject({ name: 'InvalidPasswordException' })
    const badClient = new SignUpCommand({ ClientId: 'nope', Username: 'u_x', Password: 'Throwaway-1!pass' })
    expect(await failure(client.send(badClient))).toMatchObject({ name: 'ResourceNotFoundException' })
    const unstable = new SignUpCommand({
      ClientId: region.clientId,
      Username: 'u_not_the_hash',
      Password: 'Throwaway-1!pass',
      UserAttributes: [{ Name: 'email', Value: freshEmail() }],
    })
    const refused = await failure(client.send(unstable))
    expect(refused.name).toBe('UserLambdaValidationException')
    expect(refused.message).toMatch(/^PreSignUp failed with error .*\.$/)
  })

  it('InitiateAuth and RespondToAuthChallenge: tokens, unsupported flows, missing members', async () => {
    const { email } = await signedUp()
    const { access } = await signedIn(email)
    expect(access.split('.')).toHaveLength(3)
    const password = new InitiateAuthCommand({
      ClientId: region.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email), PASSWORD: 'x' },
    })
    expect(await failure(client.send(password))).toMatchObject({ name: 'InvalidParameterException' })
    const noUser = new InitiateAuthCommand({ ClientId: region.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: {} })
    expect(await failure(client.send(noUser))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Missing required parameter USERNAME',
    })
    const badSession = new RespondToAuthChallengeCommand({
      ClientId: region.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: 'not-a-session',
      ChallengeResponses: { USERNAME: usernameForEmail(email), ANSWER: '1' },
    })
    expect(await failure(client.send(badSession))).toMatchObject({ name: 'NotAuthorizedException' })
  })

  it('GetUser, UpdateUserAttributes, VerifyUserAttribute', async () => {
    const { email, username } = await signedUp()
    const { access } = await signedIn(email)
    const me = await client.send(new GetUserCommand({ AccessToken: access }))
    expect(me.Username).toBe(username)
    expect(me.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ]),
    )
    // The app client lets users write their email only (WriteAttributes, as deployed).
    for (const Name of ['email_verified', 'given_name']) {
      const unauthorised = new UpdateUserAttributesCommand({
        AccessToken: access,
        UserAttributes: [{ Name, Value: 'x' }],
      })
      expect(await failure(client.send(unauthorised))).toEqual({
        name: 'NotAuthorizedException',
        message: 'A client attempted to write unauthorized attribute',
        status: 400,
      })
    }
    const newEmail = freshEmail('moved')
    const moved = await client.send(
      new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'email', Value: newEmail }] }),
    )
    expect(moved.CodeDeliveryDetailsList?.[0]).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' })
    const code = (await inbox(emulator, newEmail))[0]?.code ?? ''
    const wrong = new VerifyUserAttributeCommand({
      AccessToken: access,
      AttributeName: 'email',
      Code: code === '000000' ? '111111' : '000000',
    })
    expect(await failure(client.send(wrong))).toMatchObject({ name: 'CodeMismatchException' })
    await client.send(new VerifyUserAttributeCommand({ AccessToken: access, AttributeName: 'email', Code: code }))
    const after = await client.send(new AdminGetUserCommand({ ...pool(), Username: username }))
    expect(after.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: newEmail },
        { Name: 'email_verified', Value: 'true' },
      ]),
    )
    expect(await failure(client.send(new GetUserCommand({ AccessToken: 'x.y.z' })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    })
  })

  it('REFRESH_TOKEN_AUTH, RevokeToken and GlobalSignOut', async () => {
    const { email } = await signedUp()
    const first = await signedIn(email)
    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: region.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.refresh },
      }),
    )
    expect(refreshed.AuthenticationResult?.AccessToken).toEqual(expect.any(String))
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined()
    await client.send(new RevokeTokenCommand({ ClientId: region.clientId, Token: first.refresh }))
    const refreshAgain = new InitiateAuthCommand({
      ClientId: region.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: first.refresh },
    })
    expect(await failure(client.send(refreshAgain))).toMatchObject({ name: 'NotAuthorizedException' })
    expect(await failure(client.send(new GetUserCommand({ AccessToken: first.access })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    })

    const second = await signedIn(email)
    await client.send(new GlobalSignOutCommand({ AccessToken: second.access }))
    expect(await failure(client.send(new GetUserCommand({ AccessToken: second.access })))).toMatchObject({
      name: 'NotAuthorizedException',
    })
  })

  it('DeleteUser', async () => {
    const { email, username } = await signedUp()
    const { access } = await signedIn(email)
    await client.send(new DeleteUserCommand({ AccessToken: access }))
    expect(await failure(client.send(new AdminGetUserCommand({ ...pool(), Username: username })))).toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    })
  })

  it('AdminCreateUser: SUPPRESS sends nothing, otherwise an invitation; duplicates refused', async () => {
    const email = freshEmail('admin')
    const username = usernameForEmail(email)
    const created = await client.send(
      new AdminCreateUserCommand({
        ...pool(),
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    )
    expect(created.User).toMatchObject({ Username: username, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' })
    expect(created.User?.UserCreateDate).toBeInstanceOf(Date)
    expect(await inbox(emulator, email)).toHaveLength(0)
    const dup = new AdminCreateUserCommand({ ...pool(), Username: username, MessageAction: 'SUPPRESS' })
    expect(await failure(client.send(dup))).toMatchObject({ name: 'UsernameExistsException' })
    const invited = freshEmail('invited')
    await client.send(
      new AdminCreateUserCommand({
        ...pool(),
        Username: usernameForEmail(invited),
        UserAttributes: [{ Name: 'email', Value: invited }],
      }),
    )
    expect((await inbox(emulator, invited))[0]).toMatchObject({ kind: 'invitation', region: region.region })
    const wrongPool = new AdminGetUserCommand({ UserPoolId: `${region.region}_Nope12345`, Username: username })
    expect(await failure(client.send(wrongPool))).toMatchObject({ name: 'ResourceNotFoundException' })
  })

  it('AdminSetUserPassword, AdminDisableUser, AdminEnableUser, AdminUpdateUserAttributes, AdminUserGlobalSignOut, AdminDeleteUser', async () => {
    const email = freshEmail('lifecycle')
    const username = usernameForEmail(email)
    await client.send(
      new AdminCreateUserCommand({
        ...pool(),
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    )
    await client.send(
      new AdminSetUserPasswordCommand({ ...pool(), Username: username, Password: 'Permanent-1!pw', Permanent: true }),
    )
    expect((await client.send(new AdminGetUserCommand({ ...pool(), Username: username }))).UserStatus).toBe('CONFIRMED')
    const { access } = await signedIn(email)

    await client.send(new AdminDisableUserCommand({ ...pool(), Username: username }))
    const disabled = new InitiateAuthCommand({
      ClientId: region.clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email) },
    })
    expect(await failure(client.send(disabled))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    })
    expect(await failure(client.send(new GetUserCommand({ AccessToken: access })))).toMatchObject({
      name: 'NotAuthorizedException',
    })
    await client.send(new AdminEnableUserCommand({ ...pool(), Username: username }))
    await client.send(
      new AdminUpdateUserAttributesCommand({
        ...pool(),
        Username: username,
        UserAttributes: [{ Name: 'custom:tier', Value: 'gold' }],
      }),
    )
    const got = await client.send(new AdminGetUserCommand({ ...pool(), Username: username }))
    expect(got).toMatchObject({ Username: username, Enabled: true })
    expect(got.UserAttributes).toContainEqual({ Name: 'custom:tier', Value: 'gold' })
    const bad = new AdminUpdateUserAttributesCommand({
      ...pool(),
      Username: username,
      UserAttributes: [{ Name: 'sub', Value: 'mine' }],
    })
    expect(await failure(client.send(bad))).toMatchObject({ name: 'InvalidParameterException' })

    const again = await signedIn(email)
    await client.send(new AdminUserGlobalSignOutCommand({ ...pool(), Username: username }))
    expect(await failure(client.send(new GetUserCommand({ AccessToken: again.access })))).toMatchObject({
      name: 'NotAuthorizedException',
    })
    await client.send(new AdminDeleteUserCommand({ ...pool(), Username: username }))
    expect(await failure(client.send(new AdminDeleteUserCommand({ ...pool(), Username: username })))).toMatchObject({
      name: 'UserNotFoundException',
    })
  })

  it('ListUsers: filters, attribute selection and pagination', async () => {
    const a = await signedUp(freshEmail('list-a'))
    const b = await signedUp(freshEmail('list-b'))
    const byEmail = await client.send(new ListUsersCommand({ ...pool(), Filter: `email = "${a.email}"` }))
    expect(byEmail.Users?.map((u) => u.Username)).toEqual([a.username])
    const bySub = await client.send(new ListUsersCommand({ ...pool(), Filter: `sub = "${b.sub}"` }))
    expect(bySub.Users?.map((u) => u.Username)).toEqual([b.username])
    const prefix = await client.send(new ListUsersCommand({ ...pool(), Filter: 'username ^= "u_"' }))
    expect(prefix.Users?.map((u) => u.Username)).toEqual(expect.arrayContaining([a.username, b.username]))
    const confirmed = await client.send(
      new ListUsersCommand({ ...pool(), Filter: 'cognito:user_status = "confirmed"' }),
    )
    expect(confirmed.Users?.every((u) => u.UserStatus === 'CONFIRMED')).toBe(true)
    await client.send(new AdminDisableUserCommand({ ...pool(), Username: b.username }))
    const disabled = await client.send(new ListUsersCommand({ ...pool(), Filter: 'status = "Disabled"' }))
    expect(disabled.Users?.map((u) => u.Username)).toEqual([b.username])
    const only = await client.send(
      new ListUsersCommand({ ...pool(), Filter: `email = "${a.email}"`, AttributesToGet: ['email'] }),
    )
    expect(only.Users?.[0]?.Attributes).toEqual([{ Name: 'email', Value: a.email }])

    const seen: string[] = []
    let token: string | undefined
    do {
      const page = await client.send(
        new ListUsersCommand({ ...pool(), Filter: 'username ^= "u_"', Limit: 1, PaginationToken: token }),
      )
      expect(page.Users?.length).toBeLessThanOrEqual(1)
      seen.push(...(page.Users ?? []).map((u) => u.Username ?? ''))
      token = page.PaginationToken
    } while (token)
    expect(seen).toEqual(prefix.Users?.map((u) => u.Username))

    const badFilter = new ListUsersCommand({ ...pool(), Filter: 'shoe_size = "42"' })
    expect(await failure(client.send(badFilter))).toMatchObject({ name: 'InvalidParameterException' })
  })

  it('answers unknown operations and unsigned admin calls like Cognito', async () => {
    const unknown = await cognito(region.endpoint, 'CreateUserPool', { PoolName: 'x' })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toEqual({
      __type: 'com.amazon.coral.service#UnknownOperationException',
      message: expect.stringContaining('CreateUserPool'),
    })
    // Through the SDK: the name without its namespace, and a message instead of "UnknownError".
    const renamed = sdk(region)
    renamed.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { headers: Record<string, string> }
        request.headers['x-amz-target'] = 'AWSCognitoIdentityProviderService.DescribeUserPoolClient'
        return next(args)
      },
      { step: 'build' },
    )
    const viaSdk = await failure(renamed.send(new ListUsersCommand({ ...pool() })))
    renamed.destroy()
    expect(viaSdk).toEqual({
      name: 'UnknownOperationException',
      message: expect.stringContaining('DescribeUserPoolClient'),
      status: 400,
    })
    const unsigned = await cognito(region.endpoint, 'AdminGetUser', { ...pool(), Username: 'u_x' })
    expect(unsigned.status).toBe(400)
    expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException')
    const notJson = await fetch(region.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(((await notJson.json()) as { __type: string }).__type).toBe('SerializationException')
  })
  it('takes null entries of string maps as absent, as Cognito does (amazon-cognito-identity-js sends DEVICE_KEY: null)', async () => {
    const { email } = await signedUp()
    const { refresh } = await signedIn(email)
    // The SDK drops nulls from maps, so this is the JSON that library puts on the wire.
    const refreshed = await cognito(region.endpoint, 'InitiateAuth', {
      ClientId: region.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refresh, DEVICE_KEY: null },
      ClientMetadata: { note: null },
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.AuthenticationResult.AccessToken).toEqual(expect.any(String))
    const init = await cognito(region.endpoint, 'InitiateAuth', {
      ClientId: region.clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email), DEVICE_KEY: null },
    })
    expect(init.status).toBe(200)
    const method = await cognito(region.endpoint, 'RespondToAuthChallenge', {
      ClientId: region.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: init.body.Session,
      ChallengeResponses: { USERNAME: init.body.ChallengeParameters.USERNAME, ANSWER: '__method', DEVICE_KEY: null },
      ClientMetadata: { method: 'code', redirectUri: null },
    })
    expect(method.status).toBe(200)
    expect(method.body.ChallengeParameters.step).toBe('code')
    const wrongType = await cognito(region.endpoint, 'InitiateAuth', {
      ClientId: region.clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email), DEVICE_KEY: 7 },
    })
    expect(wrongType.body.__type).toBe('InvalidParameterException')
  })
})
