import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda'
import { decideNext } from './define-decision.js'
import { assertTriggerEvent } from './event-guards.js'
import type { ResolvedOptions } from './options.js'

/** DefineAuthChallenge: a thin shell over {@link decideNext}. */
export function createDefineAuthChallenge(options: ResolvedOptions) {
  return async (event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> => {
    assertTriggerEvent(event, ['DefineAuthChallenge_Authentication'])
    const decision = decideNext({
      session: event.request.session,
      userNotFound: event.request.userNotFound === true,
      maxCodeAttempts: options.maxCodeAttempts,
    })
    if (decision.action === 'challenge') {
      event.response = { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false }
    } else if (decision.action === 'issueTokens') {
      event.response = { issueTokens: true, failAuthentication: false }
    } else {
      event.response = { issueTokens: false, failAuthentication: true }
    }
    options.log({
      trigger: 'defineAuthChallenge',
      outcome: decision.action,
      ...(decision.action === 'fail' ? { reason: decision.reason } : {}),
    })
    return event
  }
}
