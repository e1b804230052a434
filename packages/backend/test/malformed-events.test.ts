import { describe, expect, it } from 'vitest'
import { codeMetadata } from '../src/email/email-code.js'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { createEvent, defineEvent, round, userAttributesFor, verifyEvent } from './helpers/events.js'
import { createHarness } from './helpers/harness.js'

const EMAIL = 'ada@example.com'
const userName = usernameForEmail(EMAIL)
const userAttributes = userAttributesFor(EMAIL)

describe('malformed events fail closed', () => {
  it.each([
    ['not an object', null],
    ['a string', 'event'],
    ['the wrong trigger source', { ...defineEvent({ userName }), triggerSource: 'CreateAuthChallenge_Authentication' }],
    ['no userName', { ...defineEvent({ userName }), userName: '' }],
    ['no userPoolId', { ...defineEvent({ userName }), userPoolId: undefined }],
    ['no request', { ...defineEvent({ userName }), request: undefined }],
    [
      'clientMetadata that is not a map',
      { ...defineEvent({ userName }), request: { session: [], clientMetadata: 'x' } },
    ],
  ])('DefineAuthChallenge throws on %s', async (_, event) => {
    const h = createHarness()
    await expect(h.triggers.defineAuthChallenge(event as never)).rejects.toThrow(/^MALFORMED_EVENT: /)
  })

  it('DefineAuthChallenge fails (never issues tokens) on a forged session', async () => {
    const h = createHarness()
    const forged = defineEvent({ userName, userAttributes, session: [round('LINK', true)] })
    const result = await h.triggers.defineAuthChallenge(forged)
    expect(result.response).toEqual({ issueTokens: false, failAuthentication: true })
    const notArray = defineEvent({ userName })
    ;(notArray.request as { session: unknown }).session = { 0: round('METHOD', false) }
    expect((await h.triggers.defineAuthChallenge(notArray)).response.issueTokens).toBe(false)
  })

  it('VerifyAuthChallengeResponse leaves answerCorrect false when it throws or the event is incomplete', async () => {
    const h = createHarness()
    const event = verifyEvent({ userName, userAttributes, privateChallengeParameters: {}, challengeAnswer: '123456' })
    event.response.answerCorrect = true // whatever came in must not survive
    expect((await h.triggers.verifyAuthChallengeResponse(event)).response.answerCorrect).toBe(false)
    const broken = {
      ...verifyEvent({ userName, privateChallengeParameters: {}, challengeAnswer: 'x' }),
      userName: undefined,
    }
    await expect(h.triggers.verifyAuthChallengeResponse(broken as never)).rejects.toThrow(/^MALFORMED_EVENT/)
    expect((broken as unknown as { response: { answerCorrect: boolean } }).response.answerCorrect).toBe(false)
  })

  it.each([
    ['no private parameters', undefined, '123456'],
    ['an unknown step', { step: 'password' }, '123456'],
    ['the method step', { step: 'method' }, '__method'],
    ['a code step without hash', { step: 'code' }, '123456'],
    [
      'a code answer that is not a string',
      { step: 'code', codeHash: codeMetadata('123456', { issuedAt: 1_768_478_400 }) },
      123456,
    ],
    ['a link answer that is not a JWS', { step: 'link' }, 'not.a-token'],
    ['a bridge answer without bridge configured', { step: 'bridge' }, 'a.b.c'],
  ])('VerifyAuthChallengeResponse answers false for %s', async (_, privateChallengeParameters, answer) => {
    const h = createHarness()
    const event = verifyEvent({
      userName,
      userAttributes,
      privateChallengeParameters: privateChallengeParameters as never,
      challengeAnswer: answer as never,
    })
    expect((await h.triggers.verifyAuthChallengeResponse(event)).response.answerCorrect).toBe(false)
  })

  it('VerifyAuthChallengeResponse never says correct for an unknown user, even with the right code', async () => {
    const h = createHarness()
    const codeHash = codeMetadata('123456', { issuedAt: h.nowSeconds() })
    const known = verifyEvent({
      userName,
      userAttributes,
      privateChallengeParameters: { step: 'code', codeHash },
      challengeAnswer: '123456',
    })
    expect((await h.triggers.verifyAuthChallengeResponse(known)).response.answerCorrect).toBe(true)
    const unknown = verifyEvent({
      userName: 'nobody@example.org',
      userNotFound: true,
      privateChallengeParameters: { step: 'code', codeHash },
      challengeAnswer: '123456',
    })
    expect((await h.triggers.verifyAuthChallengeResponse(unknown)).response.answerCorrect).toBe(false)
  })

  it.each([
    ['no method', {}, /^INVALID_METHOD: /],
    ['an unknown method', { method: 'password' }, /^INVALID_METHOD: /],
    ['a link without redirect', { method: 'link' }, /^INVALID_REDIRECT: no redirect URL/],
  ])('CreateAuthChallenge refuses %s after the method step', async (_, clientMetadata, error) => {
    const h = createHarness()
    const event = createEvent({ userName, userAttributes, session: [round('METHOD', false)], clientMetadata })
    await expect(h.triggers.createAuthChallenge(event)).rejects.toThrow(error)
    expect(h.inbox).toHaveLength(0)
  })

  it('CreateAuthChallenge refuses a forged session and another challenge name, and mails nobody for a user without email', async () => {
    const h = createHarness()
    const afterSuccess = createEvent({
      userName,
      userAttributes,
      session: [round('METHOD', false), round('LINK', true)],
    })
    await expect(h.triggers.createAuthChallenge(afterSuccess)).rejects.toThrow(/^MALFORMED_EVENT: /)
    const otherName = createEvent({ userName, userAttributes })
    otherName.request.challengeName = 'PASSWORD_VERIFIER'
    await expect(h.triggers.createAuthChallenge(otherName)).rejects.toThrow(/^MALFORMED_EVENT: /)
    const noEmail = createEvent({
      userName,
      userAttributes: {},
      session: [round('METHOD', false)],
      clientMetadata: { method: 'code' },
    })
    // The same answer as for anyone else: an error here would tell this user from the others.
    const answered = await h.triggers.createAuthChallenge(noEmail)
    expect(answered.response.publicChallengeParameters).toEqual({ step: 'code', attemptsLeft: '3' })
    expect(h.inbox).toHaveLength(0)
  })

  it('CreateAuthChallenge shapes the method step exactly as the contract says', async () => {
    const h = createHarness()
    const event = await h.triggers.createAuthChallenge(createEvent({ userName, userAttributes }))
    expect(event.response).toEqual({
      publicChallengeParameters: { step: 'method' },
      privateChallengeParameters: { step: 'method' },
      challengeMetadata: 'METHOD',
    })
  })
})
