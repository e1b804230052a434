import { describe, expect, it } from 'vitest'
import { codeForCognitoType, errorFromCognito, isRegionlessError, RegionlessError } from '../src/errors.js'

describe('errors', () => {
  it('maps Cognito __type names, with or without a namespace', () => {
    expect(codeForCognitoType('CodeMismatchException')).toBe('CODE_MISMATCH')
    expect(codeForCognitoType('com.amazonaws.cognito#TooManyRequestsException')).toBe('RATE_LIMITED')
    expect(codeForCognitoType('SomethingNew')).toBe('UNKNOWN')
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
})
