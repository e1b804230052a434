import { TokenError } from './errors.js'

/**
 * Counts the members of the outermost JSON object by counting `:` at depth 1 outside strings.
 * JSON.parse silently keeps the last of two equal keys, so `{"sub":"a","sub":"b"}` parses to one member
 * while its text has two: comparing both counts exposes duplicates without a second parser.
 */
export function countTopLevelMembers(text: string): number {
  let depth = 0
  let members = 0
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // Jump to the closing quote; a quote preceded by an odd run of backslashes is escaped.
      let end = text.indexOf('"', i + 1)
      while (end !== -1) {
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++
        if (slashes % 2 === 0) break
        end = text.indexOf('"', end + 1)
      }
      if (end === -1) return -1
      i = end
    } else if (c === 123 || c === 91) depth++
    else if (c === 125 || c === 93) depth--
    else if (c === 58 && depth === 1) members++
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
  const text = Buffer.from(segment, 'base64url').toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not JSON`, { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not a JSON object`)
  }
  if (countTopLevelMembers(text) !== memberCount(value)) {
    throw new TokenError('TOKEN_DUPLICATE_KEY', `${what} repeats a key; a token must not be ambiguous`)
  }
  return value as Record<string, unknown>
}
