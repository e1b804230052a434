import type { EmulatorConfig } from '@regionless/emulator'
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/config.js'
import { type AuthClientConfig, createAuthClient } from '../src/index.js'

const emulatorAnswer = {
  topology: 'pools',
  regions: [
    {
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Abc123',
      clientId: 'c1',
      endpoint: 'http://127.0.0.1:9230/',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123',
      jwksUri: 'http://127.0.0.1:9230/eu-west-1_Abc123/.well-known/jwks.json',
      apiUrl: 'http://127.0.0.1:9300',
    },
    {
      region: 'us-east-1',
      userPoolId: 'us-east-1_Def456',
      clientId: 'c2',
      endpoint: 'http://127.0.0.1:9231/',
      extra: 1,
    },
  ],
  somethingNew: true,
} as const

describe('configuration', () => {
  it("accepts the emulator's /_regionless/config answer as-is, with defaults", () => {
    const config = resolveConfig(emulatorAnswer as unknown as AuthClientConfig)
    expect(config).toMatchObject({
      homeRegion: 'eu-west-1',
      primaryRegion: 'eu-west-1',
      bridge: 'eager',
      timeoutMs: 5_000,
    })
    expect(config.regions[1]).toEqual({
      region: 'us-east-1',
      userPoolId: 'us-east-1_Def456',
      clientId: 'c2',
      endpoint: 'http://127.0.0.1:9231/',
      apiUrl: undefined,
    })
    expect(() => createAuthClient(emulatorAnswer as unknown as AuthClientConfig).destroy()).not.toThrow()
  })

  it('defaults the endpoint to the regional Cognito URL and turns the bridge off for replicas', () => {
    const config = resolveConfig({
      topology: 'replicas',
      regions: [
        { region: 'eu-west-1', userPoolId: 'eu-west-1_X1', clientId: 'c' },
        { region: 'eu-central-1', userPoolId: 'eu-west-1_X1', clientId: 'c' },
      ],
    })
    expect(config.regions[1]?.endpoint).toBe('https://cognito-idp.eu-central-1.amazonaws.com/')
    expect(config.bridge).toBe('off')
  })

  const base = {
    topology: 'pools' as const,
    regions: [{ region: 'eu-west-1', userPoolId: 'eu-west-1_A', clientId: 'c' }],
  }
  const cases: Array<[string, unknown]> = [
    ['topology', { ...base, topology: 'mesh' }],
    ['regions', { ...base, regions: [] }],
    [
      'regions[1].clientId',
      { ...base, regions: [...base.regions, { region: 'us-east-1', userPoolId: 'us-east-1_B' }] },
    ],
    ['regions[0].userPoolId', { ...base, regions: [{ region: 'eu-west-1', userPoolId: 'nope', clientId: 'c' }] }],
    ['regions[0].endpoint', { ...base, regions: [{ ...base.regions[0], endpoint: 'ftp://x' }] }],
    ['regions[1].region', { ...base, regions: [base.regions[0], base.regions[0]] }],
    ['homeRegion', { ...base, homeRegion: 'mars-1' }],
    ['timeoutMs', { ...base, timeoutMs: -1 }],
    ['bridge', { ...base, bridge: 'always' }],
    ['storage.removeItem', { ...base, storage: { getItem() {}, setItem() {} } }],
    [
      'regions[1].userPoolId',
      {
        topology: 'replicas',
        regions: [base.regions[0], { region: 'us-east-1', userPoolId: 'us-east-1_B', clientId: 'c' }],
      },
    ],
  ]
  it.each(cases)('names %s in the TypeError', (field, config) => {
    expect(() => createAuthClient(config as AuthClientConfig)).toThrow(TypeError)
    expect(() => createAuthClient(config as AuthClientConfig)).toThrow(field)
  })
})

// These hold at compile time: `pnpm typecheck` covers this file, and an unused
// `@ts-expect-error` is itself an error.
describe('configuration types', () => {
  const regions = [{ region: 'eu-west-1', userPoolId: 'eu-west-1_A', clientId: 'c' }]

  it('make a misspelt option a type error, which would otherwise be a silent default', () => {
    // @ts-expect-error `timeoutMS` is not an option: the spelling is `timeoutMs`
    const typo: AuthClientConfig = { topology: 'pools', regions, timeoutMS: 3000 }
    expect(resolveConfig(typo).timeoutMs).toBe(5_000)
    // @ts-expect-error the same inside a region
    resolveConfig({ topology: 'pools', regions: [{ ...regions[0]!, apiURL: 'https://api.example.com' }] })
  })

  it("take the emulator's /_regionless/config answer as it is typed", () => {
    const answer: EmulatorConfig = {
      topology: 'pools',
      regions: [
        {
          region: 'eu-west-1',
          userPoolId: 'eu-west-1_A',
          clientId: 'c',
          endpoint: 'http://127.0.0.1:9230/',
          issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A',
          jwksUri: 'http://127.0.0.1:9230/eu-west-1_A/.well-known/jwks.json',
          apiUrl: 'http://127.0.0.1:9300',
        },
      ],
    }
    expect(resolveConfig(answer).regions[0]).toMatchObject({
      endpoint: 'http://127.0.0.1:9230/',
      apiUrl: 'http://127.0.0.1:9300',
    })
    expect(() => createAuthClient(answer).destroy()).not.toThrow()
  })
})
