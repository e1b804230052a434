import { describe, expect, it } from 'vitest'
import { parseJwt } from '../src/parse-jwt.js'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const token = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: 'u' })}.c2ln`

describe('parseJwt', () => {
  it('decodes header and payload and keeps the signing input', () => {
    const parsed = parseJwt(token)
    expect(parsed.header).toEqual({ alg: 'RS256', kid: 'k1' })
    expect(parsed.payload).toEqual({ sub: 'u' })
    expect(parsed.signingInput).toBe(token.slice(0, token.lastIndexOf('.')))
    expect(parsed.signature.toString()).toBe('sig')
  })

  it.each([
    ['two parts', 'a.b', 'TOKEN_MALFORMED'],
    ['not base64url', `${b64({})}.p+y/.sig`, 'TOKEN_MALFORMED'],
    ['not JSON', `${Buffer.from('nope').toString('base64url')}.${b64({})}.sig`, 'TOKEN_MALFORMED'],
    ['a JSON array', `${b64([])}.${b64({})}.sig`, 'TOKEN_MALFORMED'],
    ['oversized', `${b64({})}.${'a'.repeat(20_000)}.sig`, 'TOKEN_TOO_LARGE'],
  ])('rejects %s', (_name, bad, code) => {
    expect(() => parseJwt(bad)).toThrow(expect.objectContaining({ code }))
  })
})
