// The Cognito answers the client's unit-test fake (helpers/fake-cognito.ts) is held to.
// Each scenario plays the same JSON-protocol requests against a target (the fake, or
// the emulator, which follows Cognito) and names the outcome of the last one. The
// fake models one app client's CUSTOM_AUTH sign-in, refresh with and without
// rotation, revocation, SignUp, and the GetUser probe: the table covers that much.
import { usernameForEmail } from '@regionless/backend'
import { expect } from 'vitest'
import type { Outcome } from '../../../../test/contracts/outcome.js'

// biome-ignore lint/suspicious/noExplicitAny: protocol answers, read loosely by the scenarios
export type Wire = Record<string, any>
export interface Answer {
  status: number
  body: Wire
}

/** One region of something that speaks Cognito's JSON protocol. */
export interface WireTarget {
  clientId: string
  send(operation: string, body: Wire): Promise<Answer>
  /** The last code mailed to `email`, or `undefined`. */
  lastCode(email: string): string | undefined
}

export interface WireScenario {
  name: string
  /** `true`: the app client rotates refresh tokens (no grace period). */
  rotation?: boolean
  /** The requests; answers the last one, whose outcome is the contract. */
  run(target: WireTarget): Promise<Answer>
  expect: Outcome
}

let counter = 0
const freshEmail = () => `contract-${process.pid}-${++counter}@example.com`

async function ok(answer: Promise<Answer>): Promise<Wire> {
  const { status, body } = await answer
  if (status !== 200) throw new Error(`expected 200, got ${status} ${JSON.stringify(body)}`)
  return body
}

/** SignUp as the client does it: the stable username, a throwaway password, the email attribute. */
async function signUp(t: WireTarget, email = freshEmail()) {
  const Username = usernameForEmail(email)
  const UserAttributes = [{ Name: 'email', Value: email }]
  await ok(t.send('SignUp', { ClientId: t.clientId, Username, Password: `Aa1!${crypto.randomUUID()}`, UserAttributes }))
  return email
}

const initiate = (t: WireTarget, username: string) =>
  t.send('InitiateAuth', { ClientId: t.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } })

const respond = (t: WireTarget, challenge: Wire, answer: string, method = 'code') =>
  t.send('RespondToAuthChallenge', {
    ClientId: t.clientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: challenge.Session,
    ChallengeResponses: { USERNAME: challenge.ChallengeParameters.USERNAME, ANSWER: answer },
    ClientMetadata: { method },
  })

/** InitiateAuth with `login` and the method answer "code": the code challenge. */
async function codeChallenge(t: WireTarget, login: string) {
  return ok(respond(t, await ok(initiate(t, login)), '__method'))
}

const wrong = (code: string | undefined) => (code === '000000' ? '111111' : '000000')

/** A signed-up user's whole code sign-in: the AuthenticationResult. */
async function signIn(t: WireTarget) {
  const email = await signUp(t)
  const challenge = await codeChallenge(t, usernameForEmail(email))
  return (await ok(respond(t, challenge, t.lastCode(email) ?? ''))).AuthenticationResult
}

const refreshAuth = (t: WireTarget, token: string) =>
  t.send('InitiateAuth', {
    ClientId: t.clientId,
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: token },
  })
const getTokens = (t: WireTarget, token: string) =>
  t.send('GetTokensFromRefreshToken', { ClientId: t.clientId, RefreshToken: token })
const revoke = (t: WireTarget, token: string) => t.send('RevokeToken', { ClientId: t.clientId, Token: token })

const CHALLENGE = ['ChallengeName', 'ChallengeParameters', 'ChallengeParameters.USERNAME', 'Session']
const METHOD_STEP = [...CHALLENGE, 'ChallengeParameters.step'].sort()
const CODE_STEP = [...CHALLENGE, 'ChallengeParameters.attemptsLeft', 'ChallengeParameters.step'].sort()
const RESULT = ['AuthenticationResult', 'AuthenticationResult.AccessToken', 'AuthenticationResult.ExpiresIn']
const RENEWED = [...RESULT, 'AuthenticationResult.IdToken', 'AuthenticationResult.TokenType']
const SIGNED_IN = [...RENEWED, 'AuthenticationResult.RefreshToken', 'ChallengeParameters'].sort()
const incorrect = { status: 400, type: 'NotAuthorizedException', message: 'Incorrect username or password.' }
const invalidSession = { status: 400, type: 'NotAuthorizedException', message: 'Invalid session for the user.' }
const revoked = { status: 400, type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' }

export const WIRE_SCENARIOS: WireScenario[] = [
  {
    name: 'InitiateAuth CUSTOM_AUTH for a known username asks for the method',
    run: async (t) => initiate(t, usernameForEmail(await signUp(t))),
    expect: { status: 200, keys: METHOD_STEP },
  },
  {
    name: 'InitiateAuth CUSTOM_AUTH for an unknown username answers the same',
    run: (t) => initiate(t, usernameForEmail(freshEmail())),
    expect: { status: 200, keys: METHOD_STEP },
  },
  {
    name: 'an email address is no alias: the code mailed to its user does not sign in through it',
    run: async (t) => {
      const email = await signUp(t)
      return respond(t, await codeChallenge(t, email), t.lastCode(email) ?? '000000')
    },
    expect: { status: 200, keys: CODE_STEP },
  },
  {
    name: 'the method answer "code" asks for the code, with the attempts left',
    run: async (t) => respond(t, await ok(initiate(t, usernameForEmail(await signUp(t)))), '__method'),
    expect: { status: 200, keys: CODE_STEP },
  },
  {
    name: 'the right code issues ID, access and refresh tokens',
    run: async (t) => {
      const email = await signUp(t)
      return respond(t, await codeChallenge(t, usernameForEmail(email)), t.lastCode(email) ?? '')
    },
    expect: { status: 200, keys: SIGNED_IN },
  },
  {
    name: 'a wrong code continues the challenge with one attempt less',
    run: async (t) => {
      const email = await signUp(t)
      return respond(t, await codeChallenge(t, usernameForEmail(email)), wrong(t.lastCode(email)))
    },
    expect: { status: 200, keys: CODE_STEP },
  },
  {
    name: 'the third wrong code fails the sign-in',
    run: async (t) => {
      const email = await signUp(t)
      let challenge = await codeChallenge(t, usernameForEmail(email))
      const code = wrong(t.lastCode(email))
      for (let i = 0; i < 2; i++) challenge = await ok(respond(t, challenge, code))
      return respond(t, challenge, code)
    },
    expect: incorrect,
  },
  {
    name: 'a session already answered is spent',
    run: async (t) => {
      const method = await ok(initiate(t, usernameForEmail(await signUp(t))))
      await ok(respond(t, method, '__method'))
      return respond(t, method, '__method')
    },
    expect: invalidSession,
  },
  {
    name: 'a session Cognito never issued is invalid',
    run: async (t) => {
      const username = usernameForEmail(await signUp(t))
      return respond(t, { Session: 'AYABeNotASession', ChallengeParameters: { USERNAME: username } }, '__method')
    },
    expect: invalidSession,
  },
  {
    name: 'REFRESH_TOKEN_AUTH answers new ID and access tokens, no refresh token',
    run: async (t) => refreshAuth(t, (await signIn(t)).RefreshToken),
    expect: { status: 200, keys: [...RENEWED, 'ChallengeParameters'].sort() },
  },
  {
    name: 'GetTokensFromRefreshToken without rotation answers new ID and access tokens only',
    run: async (t) => getTokens(t, (await signIn(t)).RefreshToken),
    expect: { status: 200, keys: RENEWED },
  },
  {
    name: 'RevokeToken answers an empty object',
    run: async (t) => revoke(t, (await signIn(t)).RefreshToken),
    expect: { status: 200, keys: [] },
  },
  {
    name: 'REFRESH_TOKEN_AUTH with a revoked refresh token says so',
    run: async (t) => {
      const { RefreshToken } = await signIn(t)
      await ok(revoke(t, RefreshToken))
      return refreshAuth(t, RefreshToken)
    },
    expect: revoked,
  },
  {
    name: 'GetTokensFromRefreshToken with a revoked refresh token says so',
    run: async (t) => {
      const { RefreshToken } = await signIn(t)
      await ok(revoke(t, RefreshToken))
      return getTokens(t, RefreshToken)
    },
    expect: revoked,
  },
  {
    name: 'a refresh token Cognito never issued is invalid',
    run: (t) => getTokens(t, 'not-a-refresh-token'),
    expect: { status: 400, type: 'NotAuthorizedException', message: 'Invalid Refresh Token' },
  },
  {
    name: 'with rotation, GetTokensFromRefreshToken answers a new refresh token too',
    rotation: true,
    run: async (t) => getTokens(t, (await signIn(t)).RefreshToken),
    expect: { status: 200, keys: [...RENEWED, 'AuthenticationResult.RefreshToken'].sort() },
  },
  {
    name: 'with rotation, the replaced refresh token is refused once its grace period is over',
    rotation: true,
    run: async (t) => {
      const { RefreshToken } = await signIn(t)
      await ok(getTokens(t, RefreshToken))
      return getTokens(t, RefreshToken)
    },
    expect: { status: 400, type: 'RefreshTokenReuseException' },
  },
  {
    name: 'with rotation, REFRESH_TOKEN_AUTH is not enabled for the client',
    rotation: true,
    run: async (t) => refreshAuth(t, (await signIn(t)).RefreshToken),
    expect: { status: 400, type: 'InvalidParameterException' },
  },
  {
    name: 'GetUser without an access token (the region probe) is a bad request',
    run: (t) => t.send('GetUser', {}),
    expect: { status: 400, type: 'InvalidParameterException' },
  },
  {
    name: 'GetUser with a token Cognito never issued is refused',
    run: (t) => t.send('GetUser', { AccessToken: 'not.an-access.token' }),
    expect: { status: 400, type: 'NotAuthorizedException', message: 'Invalid Access Token' },
  },
  {
    name: 'SignUp of an existing username',
    run: async (t) => {
      const email = await signUp(t)
      return t.send('SignUp', {
        ClientId: t.clientId,
        Username: usernameForEmail(email),
        Password: `Aa1!${crypto.randomUUID()}`,
        UserAttributes: [{ Name: 'email', Value: email }],
      })
    },
    expect: { status: 400, type: 'UsernameExistsException', message: 'User already exists' },
  },
  {
    name: 'an operation Cognito does not have, with a message the SDK can show',
    run: (t) => t.send('SignInWithCarrierPigeon', {}),
    expect: {
      status: 400,
      type: 'UnknownOperationException',
      message: expect.stringMatching(/SignInWithCarrierPigeon/),
    },
  },
]
