import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { throwawayPassword } from '../src/identity.js'
import { normaliseEmail, usernameForEmail } from '../src/index.js'
import { decodeJwtPayload } from '../src/jwt.js'
import { EMAIL, USERNAME } from './helpers/setup.js'

describe('stable username', () => {
  it("matches the backend's scheme: u_ + 32 hex of SHA-256 of the normalised email", async () => {
    const expected = `u_${createHash('sha256').update('ana@example.com').digest('hex').slice(0, 32)}`
    expect(await usernameForEmail(EMAIL)).toBe(expected)
    expect(expected).toBe(USERNAME)
    expect(await usernameForEmail('  ANA@Example.COM ')).toBe(expected)
  })

  it('normalises to NFC, so composed and decomposed forms are one user', async () => {
    expect(normaliseEmail('Jose\u0301@x.es')).toBe('jos\u00e9@x.es')
    expect(await usernameForEmail('Jose\u0301@x.es')).toBe(await usernameForEmail('jos\u00e9@x.es'))
  })
})

describe('throwaway password', () => {
  it("meets Cognito's default policy and differs each time", () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const p = throwawayPassword()
      expect(p).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[!#$%&*+\-=?@^_]).{36}$/)
      seen.add(p)
    }
    expect(seen.size).toBe(200)
  })
})

describe('JWT payloads', () => {
  it('decodes base64url UTF-8 payloads and refuses non-JWTs', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u_1', name: 'Zoë' })).toString('base64url')
    expect(decodeJwtPayload(`x.${payload}.y`)).toEqual({ sub: 'u_1', name: 'Zoë' })
    expect(decodeJwtPayload('x.y')).toBeNull()
    expect(decodeJwtPayload('x.!!!.y')).toBeNull()
    expect(decodeJwtPayload(`x.${Buffer.from('[1]').toString('base64url')}.y`)).toBeNull()
  })
})
