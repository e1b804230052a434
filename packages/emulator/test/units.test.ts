import { describe, expect, it } from 'vitest'
import { ConfigError, resolveConfig } from '../src/config/emulator-config.js'
import { createSessionStore } from '../src/store/challenge-sessions.js'
import { matchesFilter, parseUserFilter } from '../src/store/list-users-filter.js'
import { newUser, parseAttributeList } from '../src/store/user-store.js'

describe('ListUsers filter', () => {
  const user = newUser('u_abc', { email: 'Ada@Example.com', email_verified: 'true', name: 'Ada "A"' }, 'CONFIRMED', 0)

  it('parses exact and prefix clauses with escaped quotes', () => {
    expect(parseUserFilter('email = "ada@example.com"')).toEqual({
      attribute: 'email',
      op: '=',
      value: 'ada@example.com',
    })
    expect(parseUserFilter('username^="u_"')).toEqual({ attribute: 'username', op: '^=', value: 'u_' })
    expect(parseUserFilter('name = "Ada \\"A\\""')?.value).toBe('Ada "A"')
    expect(parseUserFilter('')).toBeUndefined()
  })

  it('rejects what Cognito rejects', () => {
    expect(() => parseUserFilter('email = ada')).toThrow(/parsing filter/)
    expect(() => parseUserFilter('custom:tier = "x"')).toThrow(/Invalid search attribute/)
    expect(() => parseUserFilter('email != "x"')).toThrow()
  })

  it('matches like Cognito: email and user status case-insensitively, the rest exactly', () => {
    expect(matchesFilter(user, parseUserFilter('email = "ada@example.com"'))).toBe(true)
    expect(matchesFilter(user, parseUserFilter('cognito:user_status = "confirmed"'))).toBe(true)
    expect(matchesFilter(user, parseUserFilter('username = "U_ABC"'))).toBe(false)
    expect(matchesFilter(user, parseUserFilter(`sub = "${user.sub}"`))).toBe(true)
    expect(matchesFilter(user, parseUserFilter('status = "Enabled"'))).toBe(true)
    expect(matchesFilter(user, parseUserFilter('phone_number ^= "+"'))).toBe(false)
  })
})

describe('attributes', () => {
  it('accepts standard and custom attributes, refuses sub and unknown names', () => {
    expect(parseAttributeList([{ Name: 'custom:tier', Value: 'gold' }])).toEqual({ 'custom:tier': 'gold' })
    expect(() => parseAttributeList([{ Name: 'sub', Value: 'x' }])).toThrow(/immutable/)
    expect(() => parseAttributeList([{ Name: 'shoe', Value: '42' }])).toThrow(/schema/)
    expect(() => parseAttributeList([{ Name: 'email', Value: 'not an email' }])).toThrow(/email/)
  })
})

describe('challenge sessions', () => {
  it('are single use and expire after the configured minutes', () => {
    let now = 0
    const store = createSessionStore({ now: () => now, validityMinutes: 3 })
    const state = {
      clientId: 'c',
      username: 'u',
      userNotFound: false,
      history: [],
      current: { challengeName: 'CUSTOM_CHALLENGE' as const, privateChallengeParameters: {} },
    }
    const id = store.create(state)
    expect(id.length).toBeGreaterThan(100)
    expect(store.take(id)).toBe(state)
    expect(() => store.take(id)).toThrow('Invalid session for the user.')
    const late = store.create(state)
    now = 3 * 60_000
    expect(() => store.take(late)).toThrow('Invalid session for the user, session is expired.')
  })
})

describe('config', () => {
  it('fills defaults with stable ids and the local redirect allow-list', () => {
    const config = resolveConfig()
    expect(config.topology).toBe('pools')
    expect(config.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1'])
    expect(resolveConfig().regions).toEqual(config.regions)
    expect(config.regions[0]?.userPoolId).not.toBe(config.regions[1]?.userPoolId)
    expect(config.triggers.redirectAllowList).toEqual(['http://127.0.0.1:*', 'http://localhost:*'])
    expect(config.client).toMatchObject({ authSessionValidityMinutes: 3, preventUserExistenceErrors: true })
  })

  it('replicas share one pool id and client id, named after the primary', () => {
    const config = resolveConfig({ topology: 'replicas' }, { regions: ['us-east-1', 'us-west-2'] })
    expect(config.regions[1]?.userPoolId).toBe(config.regions[0]?.userPoolId)
    expect(config.regions[0]?.userPoolId).toMatch(/^us-east-1_/)
    expect(() => resolveConfig({ topology: 'replicas', regions: ['eu-west-1'] })).toThrow(ConfigError)
  })

  it('names what is wrong', () => {
    expect(() => resolveConfig({ regions: ['mars'] })).toThrow(/not a region name/)
    expect(() => resolveConfig({ client: { authSessionValidityMinutes: 20 } })).toThrow(/3 to 15/)
    expect(() => resolveConfig({ topology: 'mesh' as 'pools' })).toThrow(/topology/)
    expect(() => resolveConfig({}, { regions: ['eu-west-1', 'eu-west-1'] })).toThrow(/distinct/)
  })
})
