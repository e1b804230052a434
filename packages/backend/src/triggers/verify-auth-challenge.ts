import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda'
import { checkCode } from '../email/email-code.js'
import { checkBridgeClaims } from '../links/bridge-token.js'
import { checkLinkClaims, looksLikeCompactJws } from '../links/link-token.js'
import { verifyAssertion } from '../passkeys/verify-assertion.js'
import { linkKey } from '../stores/keys.js'
import { bridgeSpendKey } from './bridge-spend.js'
import { assertTriggerEvent, stringField } from './event-guards.js'
import type { ResolvedOptions } from './options.js'
import { budgetSubject, createSignInBudgets } from './sign-in-budgets.js'

type Verdict = { correct: true } | { correct: false; reason: string }

/**
 * VerifyAuthChallengeResponse. `answerCorrect` is set to false before
 * anything else, so an exception anywhere leaves a refusal behind. A token's
 * `jti` is spent only after every other check passed, and never for an
 * unknown user, so a refused answer changes nothing.
 */
export function createVerifyAuthChallengeResponse(options: ResolvedOptions) {
  const budgets = createSignInBudgets(options)

  /**
   * A code answer, inside the wrong-code budget: a locked user's answers are refused with
   * `LOCKED_OUT` (the right code too, or guessing would go on), and a wrong one is counted for every
   * sign-in and region. Known and unknown users are counted alike.
   */
  async function verifyCode(answer: string, event: VerifyAuthChallengeResponseTriggerEvent, spend: boolean) {
    const subject = budgetSubject(event.userName, !spend)
    await budgets.assertNotLocked(subject)
    const ok = checkCode(answer, stringField(event.request.privateChallengeParameters, 'codeHash'), {
      now: options.nowSeconds(),
      ttlSeconds: options.codeTtlSeconds,
      pepper: options.codePepper,
    })
    if (ok && spend) return { correct: true } as const
    if (!ok) await budgets.recordWrongCode(subject)
    return { correct: false, reason: ok ? 'unknown user' : 'wrong code' } as const
  }

  async function verifyLink(
    token: string,
    event: VerifyAuthChallengeResponseTriggerEvent,
    spend: boolean,
  ): Promise<Verdict> {
    if (!looksLikeCompactJws(token)) return { correct: false, reason: 'not a token' }
    let payload: Record<string, unknown>
    try {
      payload = await options.verifier.verify(token)
    } catch {
      return { correct: false, reason: 'bad signature' }
    }
    const check = checkLinkClaims(payload, {
      username: event.userName,
      audience: options.audience,
      trustedPoolIds: options.trustedPoolIds,
      now: options.nowSeconds(),
    })
    if (!check.ok) return { correct: false, reason: check.reason }
    if (!spend) return { correct: false, reason: 'unknown user' }
    const fresh = await options.store.consume(linkKey(check.claims.jti), check.claims.exp)
    return fresh ? { correct: true } : { correct: false, reason: 'link already used' }
  }

  async function verifyBridge(
    token: string,
    event: VerifyAuthChallengeResponseTriggerEvent,
    spend: boolean,
  ): Promise<Verdict> {
    if (options.bridge === undefined) return { correct: false, reason: 'bridge not enabled' }
    if (!looksLikeCompactJws(token)) return { correct: false, reason: 'not a token' }
    const signature = await options.bridge.check(token)
    if (!signature.ok) return { correct: false, reason: signature.reason }
    const check = checkBridgeClaims(signature.payload, {
      username: event.userName,
      pool: signature.pool,
      maxAgeSeconds: options.bridge.maxAgeSeconds,
      now: options.nowSeconds(),
    })
    if (!check.ok) return { correct: false, reason: check.reason }
    if (!spend) return { correct: false, reason: 'unknown user' }
    const fresh = await options.store.consume(bridgeSpendKey(check, event.userPoolId), check.until)
    return fresh ? { correct: true } : { correct: false, reason: 'token already used' }
  }

  async function verifyPasskey(
    answer: string,
    event: VerifyAuthChallengeResponseTriggerEvent,
    known: boolean,
  ): Promise<Verdict> {
    const passkeys = options.passkeys
    if (passkeys === undefined) return { correct: false, reason: 'passkeys not enabled' }
    const verdict = await verifyAssertion(
      {
        answer,
        username: event.userName,
        sessionChallenge: stringField(event.request.privateChallengeParameters, 'challenge'),
        known,
        region: event.region,
      },
      {
        passkeys: passkeys.store,
        singleUse: options.store,
        relyingParty: passkeys.relyingParty,
        nowSeconds: options.nowSeconds,
      },
    )
    return verdict.correct ? { correct: true } : verdict
  }

  async function verdictFor(event: VerifyAuthChallengeResponseTriggerEvent): Promise<Verdict & { step: string }> {
    const step = stringField(event.request.privateChallengeParameters, 'step') ?? 'none'
    const answer = event.request.challengeAnswer
    const spend = event.request.userNotFound !== true
    if (typeof answer !== 'string') return { step, correct: false, reason: 'no answer' }
    switch (step) {
      case 'code':
        return { step, ...(await verifyCode(answer, event, spend)) }
      case 'link':
        return { step, ...(await verifyLink(answer, event, spend)) }
      case 'bridge':
        return { step, ...(await verifyBridge(answer, event, spend)) }
      case 'passkey':
        return { step, ...(await verifyPasskey(answer, event, spend)) }
      case 'method':
        // The method answer only picks the method; it is never a correct answer.
        return { step, correct: false, reason: 'method step' }
      default:
        return { step, correct: false, reason: 'unknown step' }
    }
  }

  return async (event: VerifyAuthChallengeResponseTriggerEvent): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
    if (typeof event === 'object' && event !== null) event.response = { answerCorrect: false }
    assertTriggerEvent(event, ['VerifyAuthChallengeResponse_Authentication'])
    const verdict = await verdictFor(event)
    event.response = { answerCorrect: verdict.correct }
    options.log({
      trigger: 'verifyAuthChallengeResponse',
      outcome: verdict.correct ? 'correct' : 'wrong',
      step: verdict.step,
      ...(verdict.correct ? {} : { reason: verdict.reason }),
    })
    return event
  }
}
