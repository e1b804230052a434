import { describe, expect, it } from 'vitest'
import { checkCode, codeMetadata, generateCode, isCodeMetadata } from '../src/email/email-code.js'

const issuedAt = 1_768_478_400
const rules = { now: issuedAt + 30, ttlSeconds: 180 }

describe('email codes', () => {
  it('draws codes of the configured number of digits', () => {
    const codes = Array.from({ length: 200 }, () => generateCode(6))
    for (const code of codes) expect(code).toMatch(/^\d{6}$/)
    expect(new Set(codes).size).toBeGreaterThan(190)
    expect(generateCode(8)).toMatch(/^\d{8}$/)
    // every digit appears at every position over many draws (no stuck digit)
    const firstDigits = new Set(Array.from({ length: 500 }, () => generateCode(6)[0]))
    expect(firstDigits.size).toBe(10)
  })

  it('keeps only a salted hash: two hashes of one code differ and neither contains it', () => {
    const a = codeMetadata('123456', { issuedAt })
    const b = codeMetadata('123456', { issuedAt })
    expect(a).not.toBe(b)
    expect(a).not.toContain('123456')
    expect(isCodeMetadata(a)).toBe(true)
  })

  it('accepts the right code (also with surrounding spaces) and refuses others', () => {
    const metadata = codeMetadata('012345', { issuedAt })
    expect(checkCode('012345', metadata, rules)).toBe(true)
    expect(checkCode(' 012345 ', metadata, rules)).toBe(true)
    expect(checkCode('012346', metadata, rules)).toBe(false)
    expect(checkCode('12345', metadata, rules)).toBe(false)
    expect(checkCode('0123456', metadata, rules)).toBe(false)
    expect(checkCode('', metadata, rules)).toBe(false)
    expect(checkCode(undefined, metadata, rules)).toBe(false)
  })

  it('refuses a code older than its lifetime', () => {
    const metadata = codeMetadata('123456', { issuedAt })
    expect(checkCode('123456', metadata, { now: issuedAt + 180, ttlSeconds: 180 })).toBe(true)
    expect(checkCode('123456', metadata, { now: issuedAt + 181, ttlSeconds: 180 })).toBe(false)
  })

  it('refuses tampered metadata and a different pepper', () => {
    const metadata = codeMetadata('123456', { issuedAt, pepper: 'deployment-secret' })
    expect(checkCode('123456', metadata, { ...rules, pepper: 'deployment-secret' })).toBe(true)
    expect(checkCode('123456', metadata, rules)).toBe(false)
    const parts = metadata.split(':')
    const shifted = [parts[0], parts[1], String(issuedAt + 1000), parts[3], parts[4]].join(':')
    // moving the issue time forward to extend the code's life breaks the MAC
    expect(checkCode('123456', shifted, { now: issuedAt + 1100, ttlSeconds: 180, pepper: 'deployment-secret' })).toBe(
      false,
    )
    expect(checkCode('123456', `${metadata}x`, rules)).toBe(false)
    expect(checkCode('123456', 'CODE:6:1:short:hash', rules)).toBe(false)
    expect(checkCode('123456', 42, rules)).toBe(false)
  })
})
