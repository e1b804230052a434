import { describe, expect, it } from 'vitest'
import { ChallengeError, isChallengeError } from '../src/errors.js'
import { createAuthTriggers } from '../src/triggers/auth-triggers.js'
import type { AuthTriggerOptions } from '../src/triggers/options.js'
import { createHarness } from './helpers/harness.js'

function withOverrides(overrides: Record<string, unknown>): () => unknown {
  const { options } = createHarness()
  return () => createAuthTriggers({ ...options, ...overrides } as AuthTriggerOptions)
}

function withLinks(overrides: Record<string, unknown>): () => unknown {
  const { options } = createHarness()
  return () => createAuthTriggers({ ...options, links: { ...options.links, ...overrides } } as AuthTriggerOptions)
}

describe('createAuthTriggers options', () => {
  it.each([
    ['codeLength below 6', withOverrides({ codeLength: 5 }), /codeLength/],
    ['a fractional codeLength', withOverrides({ codeLength: 6.5 }), /codeLength/],
    ['maxCodeAttempts of 0', withOverrides({ maxCodeAttempts: 0 }), /maxCodeAttempts/],
    ['a negative send interval', withOverrides({ minSendIntervalSeconds: -1 }), /minSendIntervalSeconds/],
    ['an email sender without send', withOverrides({ email: {} }), /email/],
    ['no budget store', withOverrides({ budgets: undefined }), /budgets must be a BudgetStore/],
    ['a link lifetime over 15 minutes', withLinks({ ttlSeconds: 901 }), /links\.ttlSeconds/],
    ['no audience', withLinks({ audience: '' }), /links\.audience/],
    ['no trusted pools', withLinks({ trustedPoolIds: [] }), /links\.trustedPoolIds/],
    ['a bad redirect entry', withLinks({ redirectAllowList: ['javascript:x'] }), /allow-list entry/],
    [
      'a bridge pool without keys',
      withOverrides({ bridge: { trustedPools: [{ issuer: 'x', clientIds: [] }] } }),
      /bridge/,
    ],
    ['a log that is not a function', withOverrides({ log: 'console' }), /log/],
    ['templates that are a string', withOverrides({ templates: 'Your code is {{code}}' }), /templates/],
  ])('throws a TypeError for %s', (_, build, message) => {
    expect(build).toThrow(TypeError)
    expect(build).toThrow(message)
  })

  it('accepts a complete configuration', () => {
    expect(withOverrides({ codeLength: 8, maxCodeAttempts: 5, minSendIntervalSeconds: 0 })).not.toThrow()
  })
})

describe('ChallengeError', () => {
  it('carries a code, a message that starts with it, and retryAfterSeconds', () => {
    const error = new ChallengeError('RATE_LIMITED', 'slow down retryAfterSeconds=12', { retryAfterSeconds: 12 })
    expect(error.message).toBe('RATE_LIMITED: slow down retryAfterSeconds=12')
    expect(error.retryAfterSeconds).toBe(12)
    expect(isChallengeError(error)).toBe(true)
    expect(isChallengeError(Object.assign(new Error('x'), { name: 'ChallengeError' }))).toBe(true)
    expect(isChallengeError(new Error('RATE_LIMITED: x'))).toBe(false)
  })
})
