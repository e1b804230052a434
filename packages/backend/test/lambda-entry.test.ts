import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const env = {
  REGIONLESS_EMAIL_FROM: 'no-reply@example.com',
  REGIONLESS_LINK_KMS_KEY_ID: 'mrk-1234abcd12ab34cd56ef1234567890ab',
  REGIONLESS_LINK_AUDIENCE: 'regionless-test',
  REGIONLESS_TRUSTED_POOL_IDS: 'eu-west-1_Abc123,us-east-1_Def456',
  REGIONLESS_REDIRECT_ALLOW_LIST: 'https://app.example.com',
  REGIONLESS_TABLE_NAME: 'regionless',
  AWS_REGION: 'eu-west-1',
}

describe('Lambda entry module', () => {
  beforeEach(() => {
    vi.resetModules()
  })
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('fails at cold start (import time) with an error naming the missing variable', async () => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
    vi.stubEnv('REGIONLESS_TABLE_NAME', '')
    await expect(import('../src/lambda/auth-triggers.js')).rejects.toThrow(
      'REGIONLESS_TABLE_NAME: is required and not set',
    )
  })

  it('exports the four handlers when the environment is complete', async () => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
    const entry = await import('../src/lambda/auth-triggers.js')
    expect(Object.keys(entry).sort()).toEqual([
      'createAuthChallenge',
      'defineAuthChallenge',
      'preSignUp',
      'verifyAuthChallengeResponse',
    ])
    // A Define call needs no AWS at all: the method step is decided from the event.
    const event = await entry.defineAuthChallenge({
      version: '1',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Abc123',
      userName: 'u_b5fc85e55755f9e0d030a10ab4429b6b',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'c' },
      triggerSource: 'DefineAuthChallenge_Authentication',
      request: { userAttributes: {}, session: [] },
      response: { issueTokens: false, failAuthentication: false },
    })
    expect(event.response).toEqual({ challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false })
  })
})
