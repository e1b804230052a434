import { AsyncLocalStorage } from 'node:async_hooks'
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PostConfirmationTriggerEvent,
  PreSignUpTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda'
import { CognitoError } from '../errors.js'

/**
 * The Lambda triggers a pool runs, in-process. Each takes and returns the
 * event exactly as a Lambda function would (the `@types/aws-lambda` shapes).
 */
export interface TriggerSet {
  preSignUp?: (event: PreSignUpTriggerEvent) => Promise<PreSignUpTriggerEvent>
  defineAuthChallenge?: (event: DefineAuthChallengeTriggerEvent) => Promise<DefineAuthChallengeTriggerEvent>
  createAuthChallenge?: (event: CreateAuthChallengeTriggerEvent) => Promise<CreateAuthChallengeTriggerEvent>
  verifyAuthChallengeResponse?: (
    event: VerifyAuthChallengeResponseTriggerEvent,
  ) => Promise<VerifyAuthChallengeResponseTriggerEvent>
  postConfirmation?: (event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent>
}

/** Cognito's name for each trigger in `UserLambdaValidationException` messages. */
const TRIGGER_NAMES = {
  preSignUp: 'PreSignUp',
  defineAuthChallenge: 'DefineAuthChallenge',
  createAuthChallenge: 'CreateAuthChallenge',
  verifyAuthChallengeResponse: 'VerifyAuthChallengeResponse',
  postConfirmation: 'PostConfirmation',
} as const

export type TriggerKey = keyof typeof TRIGGER_NAMES

export interface EventBase {
  region: string
  userPoolId: string
  userName: string
  clientId: string
  awsSdkVersion: string
}

/** The fields Cognito puts in every trigger event. */
export function eventBase(base: EventBase, triggerSource: string) {
  return {
    version: '1',
    region: base.region,
    userPoolId: base.userPoolId,
    userName: base.userName,
    callerContext: { awsSdkVersion: base.awsSdkVersion, clientId: base.clientId },
    triggerSource,
  }
}

/** `aws-sdk-js-3.1164.0` from the SDK's user agent, else Cognito's placeholder. */
export function sdkVersionFrom(userAgent: string | undefined): string {
  const match = /aws-sdk-([a-z]+)\/([\d.]+)/i.exec(userAgent ?? '')
  return match ? `aws-sdk-${match[1]}-${match[2]}` : 'aws-sdk-unknown-unknown'
}

const notes = new AsyncLocalStorage<string[]>()

/**
 * Adds a remark (why an answer was refused…) to the log line of the trigger
 * call in progress, so each call still logs as one line.
 */
export function noteTrigger(note: string): void {
  notes.getStore()?.push(note)
}

/**
 * Runs one trigger the way Cognito invokes a Lambda: the event crosses a JSON
 * boundary (the trigger cannot share objects with the pool), a thrown error
 * becomes `UserLambdaValidationException` "<Trigger> failed with error <message>.",
 * and an answer that is not an event becomes `InvalidLambdaResponseException`.
 */
export async function runTrigger<E extends { response: unknown }>(
  key: TriggerKey,
  fn: ((event: E) => Promise<E>) | undefined,
  event: E,
  log?: (line: string) => void,
): Promise<E> {
  if (!fn) return event
  const started = Date.now()
  const remarks: string[] = []
  const line = (outcome: string) =>
    triggerLine(event, remarks.length ? `${outcome} (${remarks.join('; ')})` : outcome, started)
  let answer: unknown
  try {
    answer = await notes.run(remarks, () => fn(JSON.parse(JSON.stringify(event)) as E))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    log?.(line(`failed: ${firstLine(message)}`))
    throw new CognitoError('UserLambdaValidationException', `${TRIGGER_NAMES[key]} failed with error ${message}.`)
  }
  if (typeof answer !== 'object' || answer === null || typeof (answer as E).response !== 'object') {
    log?.(line('returned no event'))
    throw new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output')
  }
  const result = JSON.parse(JSON.stringify(answer)) as E
  log?.(line(summarise(key, result.response as Record<string, unknown>)))
  return result
}

const firstLine = (s: string) => s.split('\n')[0]?.slice(0, 160) ?? ''

function triggerLine(event: unknown, outcome: string, started: number): string {
  const e = event as { region: string; userName: string; triggerSource: string; request: { userNotFound?: boolean } }
  const unknownUser = e.request.userNotFound ? ' (unknown user)' : ''
  return `[trigger] ${e.region} ${e.triggerSource} ${e.userName}${unknownUser} → ${outcome} (${Date.now() - started} ms)`
}

/** Says what a trigger decided without printing secrets (no private parameters, no answers). */
function summarise(key: TriggerKey, response: Record<string, unknown>): string {
  switch (key) {
    case 'defineAuthChallenge':
      if (response.issueTokens) return 'issue tokens'
      if (response.failAuthentication) return 'fail authentication'
      return `next ${String(response.challengeName)}`
    case 'createAuthChallenge': {
      const step = (response.publicChallengeParameters as Record<string, string> | undefined)?.step
      return `challenge${step ? ` step=${step}` : ''}`
    }
    case 'verifyAuthChallengeResponse':
      return response.answerCorrect ? 'answer correct' : 'answer not correct'
    case 'preSignUp':
      return `autoConfirm=${Boolean(response.autoConfirmUser)} autoVerifyEmail=${Boolean(response.autoVerifyEmail)}`
    case 'postConfirmation':
      return 'ok'
  }
}
