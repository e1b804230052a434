import { describe, expect, it } from 'vitest'
import {
  codeForCognitoType,
  errorFromCognito,
  isOutageError,
  isRegionlessError,
  RegionlessError,
} from '../src/errors.js'

describe('errors', () => {
  it('maps Cognito __type names, with or without a namespace', () => {
    expect(codeForCognitoType('CodeMismatchException')).toBe('CODE_MISMATCH')
    expect(codeForCognitoType('com.amazonaws.cognito#TooManyRequestsException')).toBe('RATE_LIMITED')
    expect(codeForCognitoType('SomethingNew')).toBe('UNKNOWN')
    // A refresh token retired by rotation is refused like a revoked one.
    expect(codeForCognitoType('RefreshTokenReuseException')).toBe('NOT_AUTHORIZED')
  })

  it('does not reveal unknown users', () => {
    expect(codeForCognitoType('UserNotFoundException')).toBe(codeForCognitoType('NotAuthorizedException'))
  })

  it('builds an error from a Cognito answer and keeps the region and type', () => {
    const err = errorFromCognito({ __type: 'NotAuthorizedException', message: 'Incorrect username' }, 'eu-west-1')
    expect(err).toBeInstanceOf(RegionlessError)
    expect(err).toMatchObject({ code: 'NOT_AUTHORIZED', region: 'eu-west-1', cognitoType: 'NotAuthorizedException' })
    expect(err.message).toBe('Incorrect username')
  })

  it('recognises errors across realms by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'RegionlessError', code: 'NETWORK' })
    expect(isRegionlessError(foreign)).toBe(true)
    expect(isRegionlessError(new Error('x'))).toBe(false)
    expect(isRegionlessError(null)).toBe(false)
  })

  it('keeps the cause', () => {
    const cause = new TypeError('fetch failed')
    expect(new RegionlessError('NETWORK', 'offline', { cause }).cause).toBe(cause)
  })

  it("reads the backend trigger's RATE_LIMITED and INVALID_REDIRECT out of UserLambdaValidationException", () => {
    const limited = errorFromCognito({
      __type: 'UserLambdaValidationException',
      message: 'CreateAuthChallenge failed with error RATE_LIMITED: wait retryAfterSeconds=27.',
    })
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 27 })
    expect(isOutageError(limited)).toBe(false)
    const redirect = errorFromCognito({
      __type: 'UserLambdaValidationException',
      message: 'CreateAuthChallenge failed with error INVALID_REDIRECT: https://evil.test is not allowed',
    })
    expect(redirect.code).toBe('INVALID_REDIRECT')
    expect(errorFromCognito({ __type: 'UserLambdaValidationException', message: 'other' }).code).toBe('UNKNOWN')
  })

  it('reads the lock-out and its wait from either trigger (Verify refuses even the right code while locked)', () => {
    for (const trigger of ['CreateAuthChallenge', 'VerifyAuthChallengeResponse']) {
      const locked = errorFromCognito({
        __type: 'UserLambdaValidationException',
        message: `${trigger} failed with error LOCKED_OUT: too many wrong codes retryAfterSeconds=3541.`,
      })
      expect(locked).toMatchObject({ code: 'LOCKED_OUT', retryAfterSeconds: 3541 })
      expect(isOutageError(locked)).toBe(false)
    }
  })

  it('tells an expired challenge session from a refused answer', () => {
    expect(
      errorFromCognito({
        __type: 'NotAuthorizedException',
        message: 'Invalid session for the user, session is expired.',
      }).code,
    ).toBe('SESSION_EXPIRED')
    expect(
      errorFromCognito({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }).code,
    ).toBe('NOT_AUTHORIZED')
    expect(errorFromCognito({ __type: 'NotAuthorizedException', message: 'User is disabled.' }).code).toBe(
      'USER_DISABLED',
    )
  })

  it('counts Cognito throttling as an outage but not a caller-side rate limit', () => {
    expect(isOutageError(errorFromCognito({ __type: 'TooManyRequestsException' }))).toBe(true)
    expect(isOutageError(new RegionlessError('TIMEOUT', 't'))).toBe(true)
    expect(isOutageError(new RegionlessError('RATE_LIMITED', 'r'))).toBe(false)
    expect(isOutageError(new Error('x'))).toBe(false)
  })
})
