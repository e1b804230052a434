import { describe, expect, it } from 'vitest'
import { decodeSegment } from '../src/base64url.js'
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
    ['{"long":"abcdefghijklmnopqrstuvwxyz0123456789","x":"\\\\\\"","y":"ab\\"cd:ef","z":1}', 4],
    ['{"é":"ü€:😀","b":"\\u0022:"}', 2],
  ])('counts %s as %i', (text, n) => {
    expect(countTopLevelMembers(Buffer.from(text))).toBe(n)
    // The word-at-a-time path must agree at every alignment of the text.
    for (let shift = 0; shift < 4; shift++) {
      const memory = new ArrayBuffer(Buffer.byteLength(text) + shift + 8)
      const end = shift + Buffer.byteLength(text)
      Buffer.from(memory).write(text, shift)
      const padded = new Uint8Array(memory)
      padded.fill(32, 0, shift) // leading spaces keep the JSON equivalent
      expect(countTopLevelMembers(padded, end, new Int32Array(memory, 0, memory.byteLength >> 2))).toBe(n)
    }
  })
})

describe('countTopLevelMembers on generated JSON', () => {
  it('agrees with JSON.parse for 500 objects with quotes, backslashes and non-ASCII in strings', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const alphabet = ['a', 'b', '"', '\\', ':', '{', '}', '[', ']', ',', 'é', '😀', ' ', '\n']
    const text = () =>
      Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
    for (let i = 0; i < 500; i++) {
      const value: Record<string, unknown> = {}
      const keys = Math.floor(random() * 8)
      for (let k = 0; k < keys; k++)
        value[`${text()}${k}`] = random() < 0.3 ? { nested: text(), list: [text(), 1] } : text()
      const json = JSON.stringify(value)
      const memory = new ArrayBuffer(Buffer.byteLength(json) + 8)
      Buffer.from(memory).write(json)
      const words = new Int32Array(memory, 0, memory.byteLength >> 2)
      const count = countTopLevelMembers(new Uint8Array(memory), Buffer.byteLength(json), words)
      expect(count).toBe(Object.keys(value).length)
    }
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

describe('decodeSegment', () => {
  it('decodes base64url of every length that exists', () => {
    for (let n = 0; n < 12; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => 250 - i))
      expect(decodeSegment(bytes.toString('base64url'), 'x')).toEqual(bytes)
    }
  })

  it.each(['ab!c', 'abc=', 'a bc', 'abcde'])('rejects %j', (segment) => {
    expect(() => decodeSegment(segment, 'payload')).toThrow(expect.objectContaining({ code: 'TOKEN_MALFORMED' }))
  })
})
