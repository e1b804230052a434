import { describe, expect, it } from 'vitest'
import { createVerifier, type VerifierOptions } from '../src/index.js'

const pool = { userPoolId: 'eu-west-1_AbC123', clientId: 'client' }
const base: VerifierOptions = { pools: [pool], tokenUse: 'access' }

describe('createVerifier options', () => {
  it.each([
    ['no pools', { ...base, pools: [] }, /pools/],
    ['a bad tokenUse', { ...base, tokenUse: 'refresh' }, /tokenUse/],
    ['a pool without id', { ...base, pools: [{ clientId: 'c' }] }, /pools\[0\]\.userPoolId/],
    ['a pool without client id', { ...base, pools: [{ userPoolId: 'eu-west-1_A' }] }, /pools\[0\]\.clientId/],
    ['an empty client id list', { ...base, pools: [{ ...pool, clientId: [] }] }, /pools\[0\]\.clientId/],
    [
      'a pool id without region and no region',
      { ...base, pools: [{ userPoolId: 'local_1', clientId: 'c' }] },
      /pools\[0\]\.region/,
    ],
    ['an issuer that is not a URL', { ...base, pools: [{ ...pool, issuer: 'nope' }] }, /pools\[0\]\.issuer/],
    ['a jwksUri that is not a URL', { ...base, pools: [{ ...pool, jwksUri: 'nope' }] }, /pools\[0\]\.jwksUri/],
    ['jwks without keys', { ...base, pools: [{ ...pool, jwks: {} }] }, /pools\[0\]\.jwks/],
    ['a negative skew', { ...base, clockSkewSeconds: -1 }, /clockSkewSeconds/],
    ['a zero time-out', { ...base, jwksTimeoutMs: 0 }, /jwksTimeoutMs/],
    ['an empty groups list', { ...base, groups: [] }, /groups/],
    ['scopes with ID tokens', { ...base, tokenUse: 'id', scopes: ['s'] }, /scopes/],
    ['a bad cache option', { ...base, cache: 5 }, /cache/],
    [
      'one issuer shared by two pool ids',
      {
        ...base,
        pools: [
          { ...pool, issuer: 'https://i.example' },
          { userPoolId: 'us-east-1_X', clientId: 'c', issuer: 'https://i.example' },
        ],
      },
      /pools\[1\]\.issuer/,
    ],
  ])('throws a TypeError naming the field for %s', (_name, options, field) => {
    expect(() => createVerifier(options as VerifierOptions)).toThrow(TypeError)
    expect(() => createVerifier(options as VerifierOptions)).toThrow(field)
  })

  it('accepts a pool id of any shape when the region is given (the emulator, tests)', () => {
    expect(() =>
      createVerifier({ ...base, pools: [{ userPoolId: 'local_1', clientId: 'c', region: 'eu-west-1' }] }),
    ).not.toThrow()
  })
})
