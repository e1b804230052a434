import { describe, expect, it } from 'vitest'
import { createMemoryPasskeyStore } from '../../src/passkeys/passkey-store.js'
import { resolveRelyingParty } from '../../src/passkeys/relying-party.js'
import { createHarness } from '../helpers/harness.js'

const ok = { rpId: 'example.com', origins: ['https://app.example.com'] }

describe('resolveRelyingParty: what it refuses at start', () => {
  it.each([
    ['an IPv4 address', '127.0.0.1'],
    ['an IPv6 address', '::1'],
    ['a URL', 'https://example.com'],
    ['a host with a port', 'example.com:443'],
    ['an empty string', ''],
    ['upper case', 'Example.com'],
    ['a trailing dot', 'example.com.'],
  ])('an RP id that is %s, naming passkeys.rpId', (_, rpId) => {
    expect(() => resolveRelyingParty({ ...ok, rpId })).toThrow(
      new TypeError('passkeys.rpId must be a domain such as example.com (not a URL or an IP address)'),
    )
  })

  it.each([
    ['http on a host other than localhost', 'http://app.example.com', /passkeys\.origins: .* must be https/],
    ['http on 127.0.0.1 (an IP is never an RP id)', 'http://127.0.0.1:5173', /must be https/],
    ['a host that is not on the RP id', 'https://app.example.org', /not on the RP id example\.com/],
    ['a host that only ends like the RP id', 'https://notexample.com', /not on the RP id example\.com/],
    ['a path', 'https://app.example.com/login', /must be an origin \(scheme, host, port; no path\)/],
    ['a trailing slash', 'https://app.example.com/', /must be an origin/],
    ['not a URL', 'app.example.com', /passkeys\.origins: "app\.example\.com" is not an origin/],
    ['a port wildcard off localhost', 'https://app.example.com:*', /passkeys\.origins/],
  ])('an origin with %s', (_, origin, message) => {
    expect(() => resolveRelyingParty({ ...ok, origins: [ok.origins[0]!, origin] })).toThrow(message)
    expect(() => resolveRelyingParty({ ...ok, origins: [origin] })).toThrow(TypeError)
  })

  it('no origins, origins that are not strings, an empty rpName', () => {
    expect(() => resolveRelyingParty({ ...ok, origins: [] })).toThrow(/passkeys\.origins must list at least one origin/)
    expect(() => resolveRelyingParty({ ...ok, origins: 'https://app.example.com' as never })).toThrow(
      /passkeys\.origins must list/,
    )
    expect(() => resolveRelyingParty({ ...ok, origins: [42 as never] })).toThrow(/passkeys\.origins must be an array/)
    expect(() => resolveRelyingParty({ ...ok, rpName: ' ' })).toThrow(/passkeys\.rpName must be a non-empty string/)
    expect(() => resolveRelyingParty(undefined as never)).toThrow(/passkeys\.rpId/)
  })

  it('names the fields under the prefix it is given', () => {
    expect(() => resolveRelyingParty({ ...ok, rpId: '10.0.0.1' }, 'relyingParty.')).toThrow(/^relyingParty\.rpId /)
    expect(() => resolveRelyingParty({ ...ok, origins: ['http://x.example.com'] }, 'rp.')).toThrow(/^rp\.origins: /)
  })

  it('the triggers refuse bad passkey settings when they are created', () => {
    const store = createMemoryPasskeyStore()
    expect(() => createHarness({ passkeys: { store, rpId: '127.0.0.1', origins: ['http://127.0.0.1:5173'] } })).toThrow(
      /passkeys\.rpId/,
    )
    expect(() =>
      createHarness({ passkeys: { store, rpId: 'example.com', origins: ['http://app.example.com'] } }),
    ).toThrow(/passkeys\.origins/)
    expect(() =>
      createHarness({ passkeys: { store: {} as never, rpId: 'example.com', origins: ['https://app.example.com'] } }),
    ).toThrow(/passkeys\.store/)
  })
})

describe('resolveRelyingParty: what it accepts', () => {
  it('an https origin on the RP id or a subdomain, matched exactly', () => {
    const rp = resolveRelyingParty({ rpId: 'example.com', origins: ['https://app.example.com', 'https://example.com'] })
    expect(rp).toMatchObject({ id: 'example.com', name: 'example.com' })
    expect(rp.allowsOrigin('https://app.example.com')).toBe(true)
    expect(rp.allowsOrigin('https://example.com')).toBe(true)
    for (const origin of [
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com/',
      'https://APP.example.com',
      'https://app.example.com:443',
      'https://other.example.com',
      'https://app.example.com.evil.com',
      'null',
      '',
    ]) {
      expect(rp.allowsOrigin(origin), origin).toBe(false)
    }
  })

  it('http://localhost:* for local development: any port of localhost over http, nothing else', () => {
    const rp = resolveRelyingParty({ rpId: 'localhost', rpName: 'Demo', origins: ['http://localhost:*'] })
    expect(rp.name).toBe('Demo')
    expect(rp.allowsOrigin('http://localhost:5173')).toBe(true)
    expect(rp.allowsOrigin('http://localhost:3000')).toBe(true)
    expect(rp.allowsOrigin('http://localhost')).toBe(true)
    expect(rp.allowsOrigin('https://localhost:5173')).toBe(false)
    expect(rp.allowsOrigin('http://127.0.0.1:5173')).toBe(false)
    expect(rp.allowsOrigin('http://app.localhost:5173')).toBe(false)
  })

  it('one port of localhost when that is what is listed', () => {
    const rp = resolveRelyingParty({ rpId: 'localhost', origins: ['http://localhost:5173'] })
    expect(rp.allowsOrigin('http://localhost:5173')).toBe(true)
    expect(rp.allowsOrigin('http://localhost:5174')).toBe(false)
  })

  it('refuses http://localhost:* when the RP id is not localhost', () => {
    expect(() => resolveRelyingParty({ rpId: 'example.com', origins: ['http://localhost:*'] })).toThrow(
      /not on the RP id example\.com/,
    )
  })
})
