import { randomUUID } from 'node:crypto'
import { generateAuthenticationOptions } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda'
import { codeMetadata, generateCode } from '../email/email-code.js'
import { renderEmail } from '../email/email-templates.js'
import { ChallengeError } from '../errors.js'
import { linkUrl } from '../links/link-token.js'
import { issueChallenge } from '../passkeys/challenges.js'
import {
  BRIDGE_METADATA,
  type ChallengeMethod,
  isChallengeMethod,
  LINK_METADATA,
  METHOD_METADATA,
  PASSKEY_METADATA,
  summariseSession,
  wrongCodeAnswers,
} from './challenge-session.js'
import { assertTriggerEvent, stringField } from './event-guards.js'
import type { ResolvedOptions } from './options.js'
import { budgetSubject, createSignInBudgets } from './sign-in-budgets.js'

type Challenge = CreateAuthChallengeTriggerEvent['response']

function methodStep(): Challenge {
  return {
    publicChallengeParameters: { step: 'method' },
    privateChallengeParameters: { step: 'method' },
    challengeMetadata: METHOD_METADATA,
  }
}

/** CreateAuthChallenge: the method step, then the real challenge for the chosen method. */
export function createCreateAuthChallenge(options: ResolvedOptions) {
  const budgets = createSignInBudgets(options)

  /**
   * Where sign-in mail goes: the verified address only. An address the user wrote but has not
   * verified (the pool keeps the original active while a change is pending) receives nothing, and
   * the answer is the same as for an unknown user, so nobody learns which it was.
   */
  function recipient(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean) {
    if (userNotFound) return undefined
    const to = stringField(event.request.userAttributes, 'email')
    const verified = stringField(event.request.userAttributes, 'email_verified') === 'true'
    if (to === undefined || !to.includes('@') || !verified) {
      options.log({ trigger: 'createAuthChallenge', outcome: 'not sent', reason: 'no verified email' })
      return undefined
    }
    const locale =
      stringField(event.request.clientMetadata, 'locale') ?? stringField(event.request.userAttributes, 'locale')
    return { to, locale }
  }

  async function codeStep(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean): Promise<Challenge> {
    const subject = budgetSubject(event.userName, userNotFound)
    await budgets.assertNotLocked(subject)
    const target = recipient(event, userNotFound)
    await budgets.spendSend(subject, target?.to)
    const code = generateCode(options.codeLength)
    const metadata = codeMetadata(code, { issuedAt: options.nowSeconds(), pepper: options.codePepper })
    if (target !== undefined) {
      const vars = { code, minutes: String(Math.floor(options.codeTtlSeconds / 60)), region: event.region }
      const rendered = renderEmail('code', vars, options.templates, target.locale)
      await options.email.send({ to: target.to, ...rendered, kind: 'code', code, region: event.region })
    }
    return {
      // No destination: the real address would tell a known user from an unknown one (the client shows what was typed).
      publicChallengeParameters: { step: 'code', attemptsLeft: String(options.maxCodeAttempts) },
      privateChallengeParameters: { step: 'code', codeHash: metadata },
      challengeMetadata: metadata,
    }
  }

  async function linkStep(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean): Promise<Challenge> {
    const challenge: Challenge = {
      publicChallengeParameters: { step: 'link' },
      privateChallengeParameters: { step: 'link' },
      challengeMetadata: LINK_METADATA,
    }
    // Redeeming a link already held: nothing to send, the next answer is the token.
    if (stringField(event.request.clientMetadata, 'redeem') === 'true') return challenge
    const redirect = options.checkRedirect(stringField(event.request.clientMetadata, 'redirectUri'))
    if (!redirect.ok) throw new ChallengeError('INVALID_REDIRECT', redirect.reason)
    const target = recipient(event, userNotFound)
    await budgets.spendSend(budgetSubject(event.userName, userNotFound), target?.to)
    if (target !== undefined) {
      const iat = Math.floor(options.nowSeconds())
      const token = await options.signer.sign({
        sub: event.userName,
        iat,
        exp: iat + options.linkTtlSeconds,
        jti: randomUUID(),
        iss: event.userPoolId,
        aud: options.audience,
      })
      const link = linkUrl(redirect.url, token)
      const vars = { link, minutes: String(Math.floor(options.linkTtlSeconds / 60)), region: event.region }
      const rendered = renderEmail('link', vars, options.templates, target.locale)
      await options.email.send({ to: target.to, ...rendered, kind: 'link', link, region: event.region })
    }
    return challenge
  }

  function bridgeStep(): Challenge {
    if (options.bridge === undefined) throw new ChallengeError('INVALID_METHOD', 'the session bridge is not enabled')
    return {
      publicChallengeParameters: { step: 'bridge' },
      privateChallengeParameters: { step: 'bridge' },
      challengeMetadata: BRIDGE_METADATA,
    }
  }

  /**
   * A passkey challenge. The options list no credentials (`allowCredentials` empty): listing the
   * account's would tell a known user from an unknown one, so passkeys are discoverable ones and the
   * browser offers those it holds for the RP. Known and unknown users get the same shape; the challenge
   * is also kept in the shared store, so the answer is accepted in whichever region it reaches.
   */
  async function passkeyStep(event: CreateAuthChallengeTriggerEvent): Promise<Challenge> {
    const passkeys = options.passkeys
    if (passkeys === undefined) throw new ChallengeError('INVALID_METHOD', 'passkeys are not enabled')
    const challenge = await issueChallenge(
      passkeys.store,
      { purpose: 'sign-in', username: event.userName },
      passkeys.challengeTtlSeconds,
      options.nowSeconds(),
    )
    const request = await generateAuthenticationOptions({
      rpID: passkeys.relyingParty.id,
      challenge: isoBase64URL.toBuffer(challenge),
      timeout: passkeys.challengeTtlSeconds * 1000,
      userVerification: 'required',
      allowCredentials: [],
    })
    return {
      publicChallengeParameters: { step: 'passkey', options: JSON.stringify(request) },
      privateChallengeParameters: { step: 'passkey', challenge },
      challengeMetadata: PASSKEY_METADATA,
    }
  }

  const steps: Record<
    ChallengeMethod,
    (event: CreateAuthChallengeTriggerEvent, userNotFound: boolean) => Promise<Challenge>
  > = {
    code: codeStep,
    link: linkStep,
    bridge: async () => bridgeStep(),
    passkey: passkeyStep,
  }

  return async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
    assertTriggerEvent(event, ['CreateAuthChallenge_Authentication'])
    if (event.request.challengeName !== 'CUSTOM_CHALLENGE') {
      throw new ChallengeError('MALFORMED_EVENT', 'only CUSTOM_CHALLENGE is created here')
    }
    const summary = summariseSession(event.request.session, 1 + options.maxCodeAttempts)
    if (!summary.ok) throw new ChallengeError('MALFORMED_EVENT', summary.reason)
    const userNotFound = event.request.userNotFound === true
    const last = summary.rounds.at(-1)
    let challenge: Challenge
    if (last === undefined) {
      challenge = methodStep()
    } else if (last.step === 'method') {
      const method = stringField(event.request.clientMetadata, 'method')
      if (!isChallengeMethod(method))
        throw new ChallengeError('INVALID_METHOD', 'clientMetadata.method must be code, link, bridge or passkey')
      challenge = await steps[method](event, userNotFound)
    } else if (last.step === 'code' && !last.correct) {
      // A wrong code: same code again (its hash is in the metadata), one attempt fewer, no new email.
      const left = options.maxCodeAttempts - wrongCodeAnswers(summary.rounds)
      if (left <= 0) throw new ChallengeError('MALFORMED_EVENT', 'no code attempts left')
      challenge = {
        publicChallengeParameters: { step: 'code', attemptsLeft: String(left) },
        privateChallengeParameters: { step: 'code', codeHash: last.metadata },
        challengeMetadata: last.metadata,
      }
    } else {
      throw new ChallengeError('MALFORMED_EVENT', `no challenge follows a ${last.step} answer`)
    }
    event.response = challenge
    options.log({
      trigger: 'createAuthChallenge',
      outcome: 'challenge',
      step: challenge.publicChallengeParameters.step ?? '',
    })
    return event
  }
}
