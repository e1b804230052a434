import { describe, expect, it } from 'vitest'
import { authorizerOptionsFromEnv } from '../../src/cdk/authorizer-config.js'
import { AUTHORIZER_ENV } from '../../src/cdk/authorizer-env.js'

const pools = [{ userPoolId: 'eu-west-1_A', clientId: 'ca' }]
const jwks = { keys: [{ kty: 'RSA', kid: 'k1', n: 'xx', e: 'AQAB', alg: 'RS256', use: 'sig' }] }
const snapshot = {
  version: 1 as const,
  createdAt: '2026-01-01T00:00:00.000Z',
  pools: [
    { userPoolId: 'eu-west-1_A', region: 'eu-west-1', issuer: 'https://x/eu-west-1_A', jwksUri: 'https://x/j', jwks },
  ],
}

describe('authorizerOptionsFromEnv', () => {
  it('reads the pools and token use and fills keys from the snapshot', () => {
    const options = authorizerOptionsFromEnv(
      { [AUTHORIZER_ENV.pools]: JSON.stringify(pools), [AUTHORIZER_ENV.tokenUse]: 'id' },
      snapshot,
    )
    expect(options.tokenUse).toBe('id')
    expect(options.pools[0]!.jwks).toEqual(jwks)
  })

  it('defaults to access tokens and leaves pools without a snapshot untouched', () => {
    const options = authorizerOptionsFromEnv({ [AUTHORIZER_ENV.pools]: JSON.stringify(pools) }, undefined)
    expect(options).toEqual({ pools, tokenUse: 'access' })
  })

  it.each([
    [{}, AUTHORIZER_ENV.pools],
    [{ [AUTHORIZER_ENV.pools]: 'not json' }, AUTHORIZER_ENV.pools],
    [{ [AUTHORIZER_ENV.pools]: '[]' }, AUTHORIZER_ENV.pools],
    [{ [AUTHORIZER_ENV.pools]: JSON.stringify(pools), [AUTHORIZER_ENV.tokenUse]: 'refresh' }, AUTHORIZER_ENV.tokenUse],
  ])('names the bad variable (%#)', (env, name) => {
    expect(() => authorizerOptionsFromEnv(env, undefined)).toThrow(new RegExp(`^${name}: `))
  })
})
