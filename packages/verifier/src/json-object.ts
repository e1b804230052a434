import { decodeSegmentScratch, utf8Text } from './base64url.js'
import { TokenError } from './errors.js'

/** True when a 32-bit word holds a `"` or a `\\` byte (the classic "has zero byte" test on word ^ pattern). */
function holdsQuoteOrBackslash(word: number): boolean {
  const q = word ^ 0x22222222
  const b = word ^ 0x5c5c5c5c
  return ((((q - 0x01010101) & ~q) | ((b - 0x01010101) & ~b)) & 0x80808080) !== 0
}

/**
 * Counts the members of the outermost JSON object in UTF-8 bytes: the `:` at depth 1 outside strings.
 * JSON.parse silently keeps the last of two equal keys, so `{"sub":"a","sub":"b"}` parses to one member
 * while its text has two: comparing both counts exposes duplicates without a second parser. It scans bytes,
 * not a string (UTF-8 continuation bytes never equal ASCII), and skips string contents a word at a time when
 * `words` views the same memory: this check runs on every first-seen token, next to a 25 µs RSA verify.
 */
export function countTopLevelMembers(bytes: Uint8Array, end = bytes.length, words?: Int32Array): number {
  let depth = 0
  let members = 0
  for (let i = 0; i < end; i++) {
    const c = bytes[i]
    if (c === 34) {
      i++
      for (;;) {
        if (words !== undefined && (i & 3) === 0) {
          while (i + 4 <= end && !holdsQuoteOrBackslash(words[i >> 2]!)) i += 4
        }
        if (i >= end) break
        const d = bytes[i]
        if (d === 34) break
        i += d === 92 ? 2 : 1 // a backslash escapes the byte after it
      }
    } else if (c === 58) {
      if (depth === 1) members++
    } else if (c === 123 || c === 91) depth++
    else if (c === 125 || c === 93) depth--
  }
  return members
}

function memberCount(value: object): number {
  let n = 0
  for (const _ in value) n++
  return n
}

/**
 * Parses one base64url segment of a JWS as a JSON object, refusing anything but a plain object with unique keys.
 * `what` names the segment in messages ("header", "payload").
 */
export function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  const { bytes, words, end } = decodeSegmentScratch(segment, what)
  const members = countTopLevelMembers(bytes, end, words)
  let value: unknown
  try {
    value = JSON.parse(utf8Text(bytes, 0, end))
  } catch (cause) {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not JSON`, { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not a JSON object`)
  }
  if (members !== memberCount(value)) {
    throw new TokenError('TOKEN_DUPLICATE_KEY', `${what} repeats a key; a token must not be ambiguous`)
  }
  return value as Record<string, unknown>
}
