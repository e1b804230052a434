import { describe, expect, it } from 'vitest'
import { codeMetadata } from '../src/email/email-code.js'
import { decideNext } from '../src/triggers/define-decision.js'
import { round } from './helpers/events.js'

const CODE = codeMetadata('123456', { issuedAt: 1_768_478_400 })
const OTHER_CODE = codeMetadata('654321', { issuedAt: 1_768_478_400 })
const decide = (session: unknown, userNotFound = false) => decideNext({ session, userNotFound, maxCodeAttempts: 3 })

describe('decideNext (DefineAuthChallenge as a pure function)', () => {
  it.each([
    ['no rounds: the method step', []],
    ['after the method step', [round('METHOD', false)]],
    ['after one wrong code', [round('METHOD', false), round(CODE, false)]],
    ['after two wrong codes', [round('METHOD', false), round(CODE, false), round(CODE, false)]],
  ])('asks for a custom challenge %s', (_, session) => {
    expect(decide(session)).toEqual({ action: 'challenge' })
  })

  it.each([
    ['a right code', [round('METHOD', false), round(CODE, true)]],
    [
      'a right code after two wrong ones',
      [round('METHOD', false), round(CODE, false), round(CODE, false), round(CODE, true)],
    ],
    ['a valid link', [round('METHOD', false), round('LINK', true)]],
    ['a valid bridge token', [round('METHOD', false), round('BRIDGE', true)]],
  ])('issues tokens for %s', (_, session) => {
    expect(decide(session)).toEqual({ action: 'issueTokens' })
  })

  it.each([
    [
      'three wrong codes',
      [round('METHOD', false), round(CODE, false), round(CODE, false), round(CODE, false)],
      'no code attempts left',
    ],
    ['a wrong link', [round('METHOD', false), round('LINK', false)], 'wrong link answer'],
    ['a wrong bridge token', [round('METHOD', false), round('BRIDGE', false)], 'wrong bridge answer'],
  ])('fails after %s', (_, session, reason) => {
    expect(decide(session)).toEqual({ action: 'fail', reason })
  })

  it('never issues tokens to an unknown user, even if a round says correct', () => {
    expect(decide([round('METHOD', false), round(CODE, true)], true)).toMatchObject({ action: 'fail' })
  })

  it.each([
    ['a session that is not an array', { length: 0 }],
    ['a password round', [{ challengeName: 'PASSWORD_VERIFIER', challengeResult: true }]],
    ['SRP then a custom round', [{ challengeName: 'SRP_A', challengeResult: true }, round('METHOD', false)]],
    ['a "correct" method step', [round('METHOD', true)]],
    ['a real challenge without the method step', [round(CODE, true)]],
    ['two method steps', [round('METHOD', false), round('METHOD', false)]],
    ['a method switch', [round('METHOD', false), round(CODE, false), round('LINK', true)]],
    ['a code switch', [round('METHOD', false), round(CODE, false), round(OTHER_CODE, true)]],
    ['foreign metadata', [round('METHOD', false), round('CODE:123456', true)]],
    ['a missing result', [round('METHOD', false), { challengeName: 'CUSTOM_CHALLENGE', challengeMetadata: 'LINK' }]],
    ['a round after success', [round('METHOD', false), round(CODE, true), round(CODE, true)]],
    [
      'too many rounds',
      [round('METHOD', false), ...Array.from({ length: 4 }, () => round(CODE, false)), round(CODE, true)],
    ],
    ['null entries', [null]],
  ])('fails closed on %s', (_, session) => {
    expect(decide(session).action).toBe('fail')
  })
})
