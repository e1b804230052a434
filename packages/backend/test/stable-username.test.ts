import { describe, expect, it } from 'vitest'
import { isStableUsername, normaliseEmail, usernameForEmail } from '../src/identity/stable-username.js'

describe('stable username', () => {
  it('is the same for the same person however the email is typed', () => {
    expect(usernameForEmail(' Ada@Example.COM ')).toBe(usernameForEmail('ada@example.com'))
    expect(usernameForEmail('cafe\u0301@example.com')).toBe(usernameForEmail('café@example.com'))
  })

  it('differs between people, including Gmail-style variants', () => {
    expect(usernameForEmail('ada@example.com')).not.toBe(usernameForEmail('ada+x@example.com'))
    expect(usernameForEmail('a.da@example.com')).not.toBe(usernameForEmail('ada@example.com'))
  })

  it('is opaque and well-formed', () => {
    const username = usernameForEmail('ada@example.com')
    expect(isStableUsername(username)).toBe(true)
    expect(username).not.toContain('ada')
    // SHA-256("ada@example.com"), a fixed vector so the scheme never changes by accident.
    expect(username).toBe('u_b5fc85e55755f9e0d030a10ab4429b6b')
  })

  it('rejects things that are not addresses with a TypeError', () => {
    expect(() => normaliseEmail('nobody')).toThrow(TypeError)
    expect(() => normaliseEmail('a b@example.com')).toThrow(TypeError)
    expect(() => normaliseEmail('@example.com')).toThrow(TypeError)
  })
})
