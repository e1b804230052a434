import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda'
import type { AuthTriggers } from '../../src/triggers/auth-triggers.js'
import { createEvent, defineEvent, POOL_ID, userAttributesFor, verifyEvent } from './events.js'

// The @types/aws-lambda names for these are not exported from the package root.
type StringMap = Record<string, string>
type CustomChallengeResult = Extract<
  DefineAuthChallengeTriggerEvent['request']['session'][number],
  { challengeName: 'CUSTOM_CHALLENGE' }
>

/**
 * A tiny, pure model of Cognito's CUSTOM_AUTH loop, enough to drive the
 * three challenge triggers the way a user pool does: Define → Create → (answer)
 * Verify → Define …, with the session array growing by one round per answer,
 * thrown trigger errors surfacing as UserLambdaValidationException, and
 * unknown users getting `userNotFound: true` (PreventUserExistenceErrors on).
 * Users are found by username or email, as in a pool with the email alias.
 * test/contracts/cognito-simulator.contract.test.ts holds it to the emulator's outcomes.
 */
export interface SimUser {
  username: string
  email: string
  /** Attributes over the defaults of `userAttributesFor(email)` (e.g. `email_verified: 'false'`). */
  attributes?: StringMap
}

export type SimResult =
  | { kind: 'challenge'; parameters: StringMap; session: SimSession }
  | { kind: 'tokens'; username: string }
  | { kind: 'error'; type: 'NotAuthorizedException' | 'UserLambdaValidationException'; message: string }

export interface SimSession {
  readonly userName: string
  readonly userNotFound: boolean
  readonly userAttributes: StringMap
  readonly rounds: CustomChallengeResult[]
  readonly privateParameters: StringMap
  readonly metadata: string
  used: boolean
}

export interface Simulator {
  initiateAuth(username: string): Promise<SimResult>
  respond(session: SimSession, answer: string, clientMetadata?: StringMap): Promise<SimResult>
}

async function lambda<T>(trigger: string, run: () => Promise<T>): Promise<T | SimResult> {
  try {
    return await run()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return { kind: 'error', type: 'UserLambdaValidationException', message: `${trigger} failed with error ${message}.` }
  }
}

function isResult(value: unknown): value is SimResult {
  return typeof value === 'object' && value !== null && 'kind' in value
}

export function createSimulator(
  triggers: AuthTriggers,
  users: SimUser[],
  pool: { userPoolId?: string; region?: string } = {},
): Simulator {
  const common = { userPoolId: pool.userPoolId ?? POOL_ID, region: pool.region ?? 'eu-west-1' }

  async function next(
    base: Omit<SimSession, 'privateParameters' | 'metadata' | 'used'>,
    clientMetadata: StringMap | undefined,
  ): Promise<SimResult> {
    const input = { ...common, ...base, session: base.rounds, ...(clientMetadata ? { clientMetadata } : {}) }
    const defined = await lambda('DefineAuthChallenge', () => triggers.defineAuthChallenge(defineEvent(input)))
    if (isResult(defined)) return defined
    const { issueTokens, failAuthentication, challengeName } = defined.response
    if (issueTokens && !failAuthentication && !base.userNotFound) return { kind: 'tokens', username: base.userName }
    if (failAuthentication || issueTokens || challengeName !== 'CUSTOM_CHALLENGE') {
      return { kind: 'error', type: 'NotAuthorizedException', message: 'Incorrect username or password.' }
    }
    const created = await lambda('CreateAuthChallenge', () => triggers.createAuthChallenge(createEvent(input)))
    if (isResult(created)) return created
    const { publicChallengeParameters, privateChallengeParameters, challengeMetadata } = created.response
    const session: SimSession = {
      ...base,
      privateParameters: privateChallengeParameters,
      metadata: challengeMetadata,
      used: false,
    }
    // Cognito adds the username to every challenge's public parameters.
    return { kind: 'challenge', parameters: { ...publicChallengeParameters, USERNAME: base.userName }, session }
  }

  return {
    async initiateAuth(typed) {
      const lower = typed.trim().toLowerCase()
      const user = users.find((u) => u.username === typed || u.email.toLowerCase() === lower)
      const base = user
        ? {
            userName: user.username,
            userNotFound: false,
            userAttributes: { ...userAttributesFor(user.email), ...user.attributes },
            rounds: [],
          }
        : { userName: typed, userNotFound: true, userAttributes: {}, rounds: [] }
      return next(base, undefined)
    },
    async respond(session, answer, clientMetadata) {
      // A session string is single use in Cognito.
      if (session.used)
        return { kind: 'error', type: 'NotAuthorizedException', message: 'Invalid session for the user.' }
      session.used = true
      const input = {
        ...common,
        userName: session.userName,
        userAttributes: session.userAttributes,
        userNotFound: session.userNotFound,
        privateChallengeParameters: session.privateParameters,
        challengeAnswer: answer,
        ...(clientMetadata ? { clientMetadata } : {}),
      }
      const verified = await lambda('VerifyAuthChallengeResponse', () =>
        triggers.verifyAuthChallengeResponse(verifyEvent(input)),
      )
      if (isResult(verified)) return verified
      const rounds = [
        ...session.rounds,
        {
          challengeName: 'CUSTOM_CHALLENGE' as const,
          challengeResult: verified.response.answerCorrect,
          challengeMetadata: session.metadata,
        },
      ]
      return next(
        {
          userName: session.userName,
          userNotFound: session.userNotFound,
          userAttributes: session.userAttributes,
          rounds,
        },
        clientMetadata,
      )
    },
  }
}
