import { describe, expect, it } from 'vitest'
import { countTopLevelMembers, decodeJsonObject } from '../src/json-object.js'
import { createBoundedCache } from '../src/lru-cache.js'

const seg = (text: string) => Buffer.from(text).toString('base64url')

describe('countTopLevelMembers', () => {
  it.each([
    ['{}', 0],
    ['{"a":1}', 1],
    ['{"a":{"b":1,"c":2},"d":[1,{"e":":"}]}', 2],
    ['{"a":"x:y","b":"quote \\" colon : brace }"}', 2],
    ['{"a":"ends with backslash \\\\","b":1}', 2],
    [' { "a" : 1 , "a" : 2 } ', 2],
  ])('counts %s as %i', (text, n) => {
    expect(countTopLevelMembers(text)).toBe(n)
  })
})

describe('decodeJsonObject', () => {
  it('accepts unique keys, including one named like a prototype', () => {
    expect(decodeJsonObject(seg('{"__proto__":1,"a":"x"}'), 'payload')).toEqual(JSON.parse('{"__proto__":1,"a":"x"}'))
  })

  it('rejects duplicates even when escaped differently', () => {
    expect(() => decodeJsonObject(seg('{"sub":"a","s\\u0075b":"b"}'), 'payload')).toThrow(
      expect.objectContaining({ code: 'TOKEN_DUPLICATE_KEY' }),
    )
  })

  it('allows equal keys in different nested objects', () => {
    expect(decodeJsonObject(seg('{"a":{"k":1},"b":{"k":2}}'), 'payload')).toEqual({ a: { k: 1 }, b: { k: 2 } })
  })
})

describe('createBoundedCache', () => {
  it('never holds more than max entries and keeps recently used ones', () => {
    const cache = createBoundedCache<number>(4)
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, i)
      expect(cache.size).toBeLessThanOrEqual(4)
    }
    cache.set('hot', 1)
    for (let i = 0; i < 10; i++) {
      expect(cache.get('hot')).toBe(1)
      cache.set(`n${i}`, i)
    }
    expect(cache.get('k0')).toBeUndefined()
  })

  it('stores nothing with max 0', () => {
    const cache = createBoundedCache<number>(0)
    cache.set('a', 1)
    expect(cache.get('a')).toBeUndefined()
  })
})
