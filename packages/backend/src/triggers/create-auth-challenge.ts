import { createHash, randomUUID } from 'node:crypto'
import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda'
import { codeMetadata, generateCode } from '../email/email-code.js'
import { renderEmail } from '../email/email-templates.js'
import { maskEmail } from '../email/mask-email.js'
import { ChallengeError } from '../errors.js'
import { usernameForEmail } from '../identity/stable-username.js'
import { linkUrl } from '../links/link-token.js'
import { sendKey } from '../stores/keys.js'
import {
  BRIDGE_METADATA,
  type ChallengeMethod,
  isChallengeMethod,
  LINK_METADATA,
  METHOD_METADATA,
  summariseSession,
  wrongCodeAnswers,
} from './challenge-session.js'
import { assertTriggerEvent, stringField } from './event-guards.js'
import type { ResolvedOptions } from './options.js'

type Challenge = CreateAuthChallengeTriggerEvent['response']

function methodStep(): Challenge {
  return {
    publicChallengeParameters: { step: 'method' },
    privateChallengeParameters: { step: 'method' },
    challengeMetadata: METHOD_METADATA,
  }
}

/**
 * The key of the per-user send interval. An unknown user who typed an email
 * is keyed like the account that email would have, so the throttle answers
 * the same whether or not the account exists.
 */
export function throttleKey(userName: string, userNotFound: boolean): string {
  if (userNotFound && userName.includes('@')) {
    try {
      return sendKey(usernameForEmail(userName))
    } catch {
      // not an address after all: fall through
    }
  }
  return sendKey(userName.trim().toLowerCase())
}

/**
 * What an unknown user sees as destination: the mask of what they typed if it
 * is an address; otherwise a mask derived from the username, stable across
 * attempts so repeated probes do not reveal a constant placeholder.
 */
function destinationFor(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean): string {
  if (!userNotFound) return maskEmail(stringField(event.request.userAttributes, 'email'))
  if (event.userName.includes('@')) return maskEmail(event.userName)
  const digest = createHash('sha256').update(event.userName.toLowerCase()).digest()
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  const domains = ['g', 'o', 'y', 'h', 'i', 'p']
  return `${letters[digest[0]! % 26]}***@${domains[digest[1]! % domains.length]}***.com`
}

/** CreateAuthChallenge: the method step, then the real challenge for the chosen method. */
export function createCreateAuthChallenge(options: ResolvedOptions) {
  async function throttle(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean): Promise<void> {
    const key = throttleKey(event.userName, userNotFound)
    const decision = await options.throttle.acquire(key, options.minSendIntervalSeconds, options.nowSeconds())
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds
      throw new ChallengeError('RATE_LIMITED', `wait before asking for another email retryAfterSeconds=${seconds}`, {
        retryAfterSeconds: seconds,
      })
    }
  }

  function recipient(event: CreateAuthChallengeTriggerEvent): { to: string; locale: string | undefined } {
    const to = stringField(event.request.userAttributes, 'email')
    if (to === undefined || !to.includes('@')) throw new ChallengeError('NO_EMAIL', 'the user has no email address')
    const locale =
      stringField(event.request.clientMetadata, 'locale') ?? stringField(event.request.userAttributes, 'locale')
    return { to, locale }
  }

  async function codeStep(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean): Promise<Challenge> {
    const target = userNotFound ? undefined : recipient(event)
    await throttle(event, userNotFound)
    const code = generateCode(options.codeLength)
    const metadata = codeMetadata(code, { issuedAt: options.nowSeconds(), pepper: options.codePepper })
    if (target !== undefined) {
      const vars = { code, minutes: String(Math.floor(options.codeTtlSeconds / 60)), region: event.region }
      const rendered = renderEmail('code', vars, options.templates, target.locale)
      await options.email.send({ to: target.to, ...rendered, kind: 'code', code, region: event.region })
    }
    return {
      publicChallengeParameters: {
        step: 'code',
        destination: destinationFor(event, userNotFound),
        attemptsLeft: String(options.maxCodeAttempts),
      },
      privateChallengeParameters: { step: 'code', codeHash: metadata },
      challengeMetadata: metadata,
    }
  }

  async function linkStep(event: CreateAuthChallengeTriggerEvent, userNotFound: boolean): Promise<Challenge> {
    const challenge: Challenge = {
      publicChallengeParameters: { step: 'link', destination: destinationFor(event, userNotFound) },
      privateChallengeParameters: { step: 'link' },
      challengeMetadata: LINK_METADATA,
    }
    // Redeeming a link already held: nothing to send, the next answer is the token.
    if (stringField(event.request.clientMetadata, 'redeem') === 'true') return challenge
    const redirect = options.checkRedirect(stringField(event.request.clientMetadata, 'redirectUri'))
    if (!redirect.ok) throw new ChallengeError('INVALID_REDIRECT', redirect.reason)
    const target = userNotFound ? undefined : recipient(event)
    await throttle(event, userNotFound)
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

  const steps: Record<
    ChallengeMethod,
    (event: CreateAuthChallengeTriggerEvent, userNotFound: boolean) => Promise<Challenge>
  > = {
    code: codeStep,
    link: linkStep,
    bridge: async () => bridgeStep(),
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
        throw new ChallengeError('INVALID_METHOD', 'clientMetadata.method must be code, link or bridge')
      challenge = await steps[method](event, userNotFound)
    } else if (last.step === 'code' && !last.correct) {
      // A wrong code: same code again (its hash is in the metadata), one attempt fewer, no new email.
      const left = options.maxCodeAttempts - wrongCodeAnswers(summary.rounds)
      if (left <= 0) throw new ChallengeError('MALFORMED_EVENT', 'no code attempts left')
      challenge = {
        publicChallengeParameters: {
          step: 'code',
          destination: destinationFor(event, userNotFound),
          attemptsLeft: String(left),
        },
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
