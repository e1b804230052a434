import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda'
import { CognitoError, invalidParameter, notAuthorized, requireString, stringMap } from '../errors.js'
import type { ChallengeState } from '../store/challenge-sessions.js'
import { type StoredUser, triggerAttributes } from '../store/user-store.js'
import { eventBase, runTrigger } from '../triggers/run-trigger.js'
import { type Operation, type OperationContext, requireClient } from './context.js'
import { refreshTokenAuth } from './token-refresh.js'

/**
 * How many challenges one sign-in may go through. Define auth challenge
 * decides, but a runaway trigger must not loop forever: Regionless needs at
 * most 5 (method, then a code and up to 3 wrong answers).
 */
export const MAX_CHALLENGE_ROUNDS = 10

const incorrect = () => notAuthorized('Incorrect username or password.')

function userState(user: StoredUser | undefined) {
  if (!user) return
  if (!user.enabled) throw notAuthorized('User is disabled.')
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.')
}

function base(ctx: OperationContext, state: ChallengeState, triggerSource: string) {
  const { pool } = ctx
  return eventBase(
    {
      region: pool.region,
      userPoolId: pool.userPoolId,
      userName: state.username,
      clientId: state.clientId,
      awsSdkVersion: ctx.awsSdkVersion,
    },
    triggerSource,
  )
}

/** The request members every challenge trigger gets; `userNotFound` only with existence errors prevented. */
function commonRequest(
  ctx: OperationContext,
  state: ChallengeState,
  user: StoredUser | undefined,
  meta?: Record<string, string>,
) {
  return {
    userAttributes: user ? triggerAttributes(user) : {},
    ...(meta && { clientMetadata: meta }),
    ...(ctx.pool.settings.preventUserExistenceErrors && { userNotFound: state.userNotFound }),
  }
}

/** Define → (tokens | failure | Create → a new session). `meta` is RespondToAuthChallenge's ClientMetadata only. */
async function nextStep(
  ctx: OperationContext,
  state: ChallengeState,
  user: StoredUser | undefined,
  meta?: Record<string, string>,
) {
  const { pool } = ctx
  const define = {
    ...base(ctx, state, 'DefineAuthChallenge_Authentication'),
    request: { ...commonRequest(ctx, state, user, meta), session: state.history },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  } as unknown as DefineAuthChallengeTriggerEvent
  const decided = (await runTrigger('defineAuthChallenge', pool.triggers.defineAuthChallenge, define, ctx.log)).response
  if (decided.issueTokens === true && decided.failAuthentication !== true) {
    if (!user || state.userNotFound) throw incorrect()
    return { ChallengeParameters: {}, AuthenticationResult: await pool.tokens.issue(user, state.clientId) }
  }
  if (decided.failAuthentication === true) throw incorrect()
  if (decided.challengeName === 'PASSWORD_VERIFIER') {
    // A Define trigger may ask for SRP password verification; the emulator keeps no password verifiers.
    throw invalidParameter('PASSWORD_VERIFIER (SRP password verification) is not emulated')
  }
  if (decided.challengeName !== 'CUSTOM_CHALLENGE') {
    throw new CognitoError('InvalidLambdaResponseException', 'Invalid challenge name returned by DefineAuthChallenge')
  }
  if (state.history.length >= MAX_CHALLENGE_ROUNDS) throw incorrect()

  const create = {
    ...base(ctx, state, 'CreateAuthChallenge_Authentication'),
    request: { ...commonRequest(ctx, state, user, meta), challengeName: 'CUSTOM_CHALLENGE', session: state.history },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  } as unknown as CreateAuthChallengeTriggerEvent
  const created = (await runTrigger('createAuthChallenge', pool.triggers.createAuthChallenge, create, ctx.log)).response
  state.current = {
    challengeName: 'CUSTOM_CHALLENGE',
    privateChallengeParameters: { ...(created.privateChallengeParameters ?? {}) },
    ...(typeof created.challengeMetadata === 'string' && { challengeMetadata: created.challengeMetadata }),
  }
  return {
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: pool.sessions.create(state),
    ChallengeParameters: { ...(created.publicChallengeParameters ?? {}), USERNAME: state.username },
  }
}

async function customAuth(ctx: OperationContext, clientId: string, params: Record<string, string>) {
  const login = params.USERNAME
  if (!login) throw invalidParameter('Missing required parameter USERNAME')
  if (!ctx.pool.triggers.defineAuthChallenge) {
    throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.')
  }
  const user = ctx.pool.users.resolve(login)
  if (!user && !ctx.pool.settings.preventUserExistenceErrors) {
    throw new CognitoError('UserNotFoundException', 'User does not exist.')
  }
  userState(user)
  const state: ChallengeState = {
    clientId,
    username: user?.username ?? login,
    userNotFound: !user,
    // With SRP_A, Cognito begins with password verification: Define first sees an answered SRP_A round.
    history: params.SRP_A ? [{ challengeName: 'SRP_A', challengeResult: true }] : [],
    current: { challengeName: 'CUSTOM_CHALLENGE', privateChallengeParameters: {} },
  }
  // InitiateAuth's ClientMetadata goes to Pre sign-up / Pre authentication only, never to the challenge triggers.
  return nextStep(ctx, state, user)
}

const AUTH_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'USER_PASSWORD_AUTH',
  'USER_AUTH',
]

export const initiateAuth: Operation = async (ctx, body) => {
  const flow = requireString(body, 'AuthFlow')
  const clientId = requireClient(ctx, body)
  const params = stringMap(body, 'AuthParameters') ?? {}
  stringMap(body, 'ClientMetadata')
  if (flow === 'CUSTOM_AUTH') return customAuth(ctx, clientId, params)
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshTokenAuth(ctx, clientId, flow, params)
  if (AUTH_FLOWS.includes(flow)) throw invalidParameter(`${flow} flow not enabled for this client`)
  throw invalidParameter(
    `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`,
  )
}

export const respondToAuthChallenge: Operation = async (ctx, body) => {
  const clientId = requireClient(ctx, body)
  const challengeName = requireString(body, 'ChallengeName')
  const responses = stringMap(body, 'ChallengeResponses') ?? {}
  const meta = stringMap(body, 'ClientMetadata')
  if (challengeName !== 'CUSTOM_CHALLENGE') throw invalidParameter(`Invalid challenge name: ${challengeName}`)
  const sessionId = body.Session
  if (typeof sessionId !== 'string' || sessionId === '') throw invalidParameter('Missing required parameter Session')
  const login = responses.USERNAME
  if (!login) throw invalidParameter('Missing required parameter USERNAME')
  const answer = responses.ANSWER
  if (answer === undefined) throw invalidParameter('Missing required parameter ANSWER')

  const state = ctx.pool.sessions.take(sessionId)
  if (state.clientId !== clientId) throw notAuthorized('Invalid session for the user.')
  const user = state.userNotFound ? undefined : ctx.pool.users.get(state.username)
  const sameUser =
    login.toLowerCase() === state.username.toLowerCase() ||
    (user !== undefined && ctx.pool.users.resolve(login)?.username === user.username)
  if (!sameUser) throw notAuthorized('Invalid session for the user.')
  if (!state.userNotFound && !user) throw incorrect()
  userState(user)

  const verify = {
    ...base(ctx, state, 'VerifyAuthChallengeResponse_Authentication'),
    request: {
      ...commonRequest(ctx, state, user, meta),
      privateChallengeParameters: state.current.privateChallengeParameters,
      challengeAnswer: answer,
    },
    response: { answerCorrect: null },
  } as unknown as VerifyAuthChallengeResponseTriggerEvent
  const verified = await runTrigger(
    'verifyAuthChallengeResponse',
    ctx.pool.triggers.verifyAuthChallengeResponse,
    verify,
    ctx.log,
  )
  state.history = [
    ...state.history,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: verified.response.answerCorrect === true,
      ...(state.current.challengeMetadata !== undefined && { challengeMetadata: state.current.challengeMetadata }),
    },
  ]
  return nextStep(ctx, state, user, meta)
}
