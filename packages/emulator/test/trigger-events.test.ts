import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import type { PostConfirmationTriggerEvent } from 'aws-lambda'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator, type TriggerSet } from '../src/index.js'
import {
  answer,
  cognito,
  freshEmail,
  inbox,
  sdk,
  signedHeaders,
  signUp,
  startSignIn,
  type Wire,
} from './helpers/protocol.js'
import { failure } from './helpers/sdk-errors.js'

type Recorded = { key: string; event: Wire }

/** Wraps every trigger so the test sees each event exactly as the trigger received it. */
function recording(defaults: TriggerSet, seen: Recorded[], extra: Partial<TriggerSet>): TriggerSet {
  const wrap = <K extends keyof TriggerSet>(key: K, fn: TriggerSet[K]) =>
    (async (event: Wire) => {
      seen.push({ key, event: structuredClone(event) })
      return fn ? (fn as unknown as (e: Wire) => Promise<Wire>)(event) : event
    }) as unknown as TriggerSet[K]
  return {
    preSignUp: wrap('preSignUp', extra.preSignUp ?? defaults.preSignUp),
    defineAuthChallenge: wrap('defineAuthChallenge', extra.defineAuthChallenge ?? defaults.defineAuthChallenge),
    createAuthChallenge: wrap('createAuthChallenge', extra.createAuthChallenge ?? defaults.createAuthChallenge),
    verifyAuthChallengeResponse: wrap('verifyAuthChallengeResponse', defaults.verifyAuthChallengeResponse),
    postConfirmation: wrap('postConfirmation', extra.postConfirmation),
  }
}

describe('trigger events have Cognito shapes', () => {
  const seen: Recorded[] = []
  let failCreate = false
  let askForSrp = false
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      config: { triggers: { minSendIntervalSeconds: 0 } },
      triggers: (_ctx, defaults) =>
        recording(defaults, seen, {
          createAuthChallenge: async (event) => {
            if (failCreate) throw new Error('boom')
            return (defaults.createAuthChallenge as NonNullable<TriggerSet['createAuthChallenge']>)(event)
          },
          postConfirmation: async (event: PostConfirmationTriggerEvent) => event,
          // What the Define trigger of Cognito's own SRP-then-custom example answers to an SRP_A round.
          defineAuthChallenge: async (event) => {
            if (!askForSrp)
              return (defaults.defineAuthChallenge as NonNullable<TriggerSet['defineAuthChallenge']>)(event)
            event.response = { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false }
            return event
          },
        }),
    })
  })
  afterAll(() => emulator?.close())
  beforeEach(() => {
    seen.length = 0
    failCreate = false
    askForSrp = false
  })
  const region = () => emulator.config.regions[0]!

  it('SignUp: PreSignUp_SignUp then PostConfirmation_ConfirmSignUp for the auto-confirmed user', async () => {
    const email = freshEmail('events')
    await signUp(region(), email)
    expect(seen.map((s) => s.key)).toEqual(['preSignUp', 'postConfirmation'])
    const [pre, post] = seen.map((s) => s.event)
    expect(pre).toMatchObject({
      version: '1',
      region: region().region,
      userPoolId: region().userPoolId,
      userName: usernameForEmail(email),
      callerContext: { clientId: region().clientId, awsSdkVersion: expect.any(String) },
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    })
    expect(post).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: {
        userAttributes: { email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED', sub: expect.any(String) },
      },
      response: {},
    })
  })

  it('CUSTOM_AUTH: InitiateAuth metadata never reaches the challenge triggers; RespondToAuthChallenge metadata reaches all three', async () => {
    const email = freshEmail('meta')
    await signUp(region(), email)
    seen.length = 0
    const init = await cognito(region().endpoint, 'InitiateAuth', {
      ClientId: region().clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email) },
      ClientMetadata: { method: 'code' },
    })
    const [define1, create1] = seen.map((s) => s.event)
    expect(define1).toMatchObject({
      triggerSource: 'DefineAuthChallenge_Authentication',
      userName: usernameForEmail(email),
      request: { session: [], userNotFound: false, userAttributes: { email } },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    })
    expect(define1?.request.clientMetadata).toBeUndefined()
    expect(create1).toMatchObject({
      triggerSource: 'CreateAuthChallenge_Authentication',
      request: { challengeName: 'CUSTOM_CHALLENGE', session: [] },
    })
    expect(create1?.request.clientMetadata).toBeUndefined()

    seen.length = 0
    const step = await answer(region(), init.body, '__method', { method: 'code' })
    expect(seen.map((s) => s.key)).toEqual([
      'verifyAuthChallengeResponse',
      'defineAuthChallenge',
      'createAuthChallenge',
    ])
    for (const { event } of seen) expect(event.request.clientMetadata).toEqual({ method: 'code' })
    const [verify, define2, create2] = seen.map((s) => s.event)
    expect(verify).toMatchObject({
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: { challengeAnswer: '__method', privateChallengeParameters: expect.any(Object) },
    })
    expect(define2?.request.session).toEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'METHOD' },
    ])
    expect(create2?.request.session).toHaveLength(1)
    expect(step.body.ChallengeParameters.step).toBe('code')
  })

  it('unknown user: userNotFound true, empty attributes, challenges instead of UserNotFoundException', async () => {
    const email = freshEmail('nobody')
    const challenge = await startSignIn(region(), email, { method: 'code' })
    // The username echoed, as for a known user: nothing tells them apart.
    expect(challenge.ChallengeParameters.USERNAME).toBe(usernameForEmail(email))
    expect(seen.every((s) => s.event.request.userNotFound === true)).toBe(true)
    expect(seen[0]?.event.request.userAttributes).toEqual({})
    expect(await inbox(emulator, email)).toHaveLength(0)
  })

  it('a trigger that throws becomes UserLambdaValidationException "<Trigger> failed with error <message>."', async () => {
    const email = freshEmail('boom')
    await signUp(region(), email)
    failCreate = true
    const res = await cognito(region().endpoint, 'InitiateAuth', {
      ClientId: region().clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email) },
    })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      __type: 'UserLambdaValidationException',
      message: 'CreateAuthChallenge failed with error boom.',
    })
  })

  it('AdminCreateUser: PreSignUp_AdminCreateUser without a client, no Post confirmation', async () => {
    const email = freshEmail('admin-events')
    const res = await cognito(
      region().endpoint,
      'AdminCreateUser',
      {
        UserPoolId: region().userPoolId,
        Username: usernameForEmail(email),
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      },
      { headers: signedHeaders('AdminCreateUser') },
    )
    expect(res.status).toBe(200)
    // The backend's PreSignUp auto-confirms self sign-ups only; Cognito would ignore its flags here anyway.
    expect(res.body.User.UserStatus).toBe('FORCE_CHANGE_PASSWORD')
    expect(seen.map((s) => s.key)).toEqual(['preSignUp'])
    expect(seen[0]?.event).toMatchObject({
      triggerSource: 'PreSignUp_AdminCreateUser',
      callerContext: { clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    })
  })
  it('CUSTOM_AUTH with SRP_A starts with password verification: Define first sees an answered SRP_A round', async () => {
    const email = freshEmail('srp')
    await signUp(region(), email)
    const client = sdk(region())
    const withSrp = new InitiateAuthCommand({
      ClientId: region().clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email), CHALLENGE_NAME: 'SRP_A', SRP_A: 'a1b2c3' },
    })
    try {
      seen.length = 0
      // The Regionless Define trigger accepts only the sessions it shapes itself, so it fails the sign-in.
      expect(await failure(client.send(withSrp))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
        status: 400,
      })
      expect(seen.map((s) => s.key)).toEqual(['defineAuthChallenge'])
      expect(seen[0]?.event.request.session).toEqual([{ challengeName: 'SRP_A', challengeResult: true }])
      expect(await inbox(emulator, email)).toEqual([])

      // A Define trigger that asks for the password step hears that the emulator keeps no SRP verifiers.
      askForSrp = true
      expect(await failure(client.send(withSrp))).toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringMatching(/PASSWORD_VERIFIER .*not emulated/),
      })
    } finally {
      client.destroy()
    }
  })
})

describe('sign-up that needs a confirmation code (no PreSignUp trigger)', () => {
  const confirmed: PostConfirmationTriggerEvent[] = []
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      triggers: (_ctx, defaults) => ({
        ...defaults,
        preSignUp: undefined,
        postConfirmation: async (event) => {
          confirmed.push(event)
          return event
        },
      }),
    })
  })
  afterAll(() => emulator?.close())

  it('SignUp, ResendConfirmationCode, ConfirmSignUp with Cognito errors on the way', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('confirm')
    const username = usernameForEmail(email)
    const up = await signUp(region, email)
    expect(up.body).toMatchObject({
      UserConfirmed: false,
      CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    })
    const blocked = await cognito(region.endpoint, 'InitiateAuth', {
      ClientId: region.clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: username },
    })
    expect(blocked.body.__type).toBe('UserNotConfirmedException')
    const resent = await cognito(region.endpoint, 'ResendConfirmationCode', {
      ClientId: region.clientId,
      Username: username,
    })
    expect(resent.status).toBe(200)
    const mails = await inbox(emulator, email)
    expect(mails).toHaveLength(2)
    const code = mails[0]?.code ?? ''
    const wrong = await cognito(region.endpoint, 'ConfirmSignUp', {
      ClientId: region.clientId,
      Username: username,
      ConfirmationCode: code === '000000' ? '111111' : '000000',
    })
    expect(wrong.body.__type).toBe('CodeMismatchException')
    expect(confirmed).toHaveLength(0)
    const ok = await cognito(region.endpoint, 'ConfirmSignUp', {
      ClientId: region.clientId,
      Username: username,
      ConfirmationCode: code,
    })
    expect(ok.status).toBe(200)
    expect(confirmed.map((e) => e.triggerSource)).toEqual(['PostConfirmation_ConfirmSignUp'])
    const twice = await cognito(region.endpoint, 'ConfirmSignUp', {
      ClientId: region.clientId,
      Username: username,
      ConfirmationCode: code,
    })
    expect(twice.body.__type).toBe('NotAuthorizedException')
  })
})

describe('AdminCreateUser ignores Pre sign-up flags', () => {
  const confirmed: PostConfirmationTriggerEvent[] = []
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      triggers: (_ctx, defaults) => ({
        ...defaults,
        // A Pre sign-up that confirms and verifies everyone, whatever the trigger source.
        preSignUp: async (event) => {
          event.response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false }
          return event
        },
        postConfirmation: async (event) => {
          confirmed.push(event)
          return event
        },
      }),
    })
  })
  afterAll(() => emulator?.close())

  it('creates a FORCE_CHANGE_PASSWORD user with an unverified email and no Post confirmation', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('flags')
    const res = await cognito(
      region.endpoint,
      'AdminCreateUser',
      {
        UserPoolId: region.userPoolId,
        Username: usernameForEmail(email),
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      },
      { headers: signedHeaders('AdminCreateUser') },
    )
    expect(res.body.User.UserStatus).toBe('FORCE_CHANGE_PASSWORD')
    expect(res.body.User.Attributes).not.toContainEqual({ Name: 'email_verified', Value: 'true' })
    expect(confirmed).toEqual([])
    // The same trigger does confirm a self-service sign-up, which then reaches Post confirmation.
    await signUp(region, freshEmail('self'))
    expect(confirmed.map((e) => e.triggerSource)).toEqual(['PostConfirmation_ConfirmSignUp'])
  })
})
