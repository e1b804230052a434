import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreSignUpTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda'
import { createCreateAuthChallenge } from './create-auth-challenge.js'
import { createDefineAuthChallenge } from './define-auth-challenge.js'
import { type AuthTriggerOptions, resolveOptions } from './options.js'
import { createPreSignUp } from './pre-sign-up.js'
import { createVerifyAuthChallengeResponse } from './verify-auth-challenge.js'

/** The four Cognito triggers of passwordless sign-up and sign-in. Each takes and returns Cognito's event. */
export interface AuthTriggers {
  defineAuthChallenge(event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent>
  createAuthChallenge(event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent>
  verifyAuthChallengeResponse(
    event: VerifyAuthChallengeResponseTriggerEvent,
  ): Promise<VerifyAuthChallengeResponseTriggerEvent>
  preSignUp(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent>
}

/**
 * Builds the passwordless triggers (email code, magic link, session bridge)
 * from injected dependencies: the same code runs in Lambda (SES, KMS,
 * DynamoDB) and in the emulator (inbox, local keys, memory stores).
 * Options are validated here, so a mistake fails at start-up, not at sign-in.
 *
 * @example
 * const keys = createLocalLinkKeys()
 * const triggers = createAuthTriggers({
 *   email: { send: async (message) => inbox.push(message) },
 *   links: { ...keys, store: createMemorySingleUseStore(), redirectAllowList: ['http://localhost:*'],
 *            audience: 'my-app', trustedPoolIds: ['eu-west-1_abc', 'us-east-1_def'] },
 *   sendThrottle: createMemorySendThrottle(),
 * })
 * const event = await triggers.defineAuthChallenge(cognitoEvent)
 */
export function createAuthTriggers(options: AuthTriggerOptions): AuthTriggers {
  const resolved = resolveOptions(options)
  return {
    defineAuthChallenge: createDefineAuthChallenge(resolved),
    createAuthChallenge: createCreateAuthChallenge(resolved),
    verifyAuthChallengeResponse: createVerifyAuthChallengeResponse(resolved),
    preSignUp: createPreSignUp(resolved),
  }
}
