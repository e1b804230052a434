import { TokenError } from './errors.js'

/**
 * One scratch buffer for all decoding: verification is synchronous from decoding to `crypto.verify`, so one
 * thread never needs two at once, and skipping a fresh allocation per token is measurable at 40k tokens/s.
 */
let scratch = Buffer.allocUnsafeSlow(16 * 1024)
/** The same memory as 32-bit words (offset 0 of its own ArrayBuffer, so aligned) for word-at-a-time scans. */
let scratchWords = new Int32Array(scratch.buffer, 0, scratch.length >> 2)

function scratchOf(bytes: number): Buffer {
  if (scratch.length < bytes) {
    scratch = Buffer.allocUnsafeSlow(bytes + 3)
    scratchWords = new Int32Array(scratch.buffer, 0, scratch.length >> 2)
  }
  return scratch
}

/**
 * Node's per-encoding Buffer methods (what `write`/`toString` dispatch to after checking their arguments).
 * Undocumented but present since Node 15; used when present because this path runs per token, with
 * the documented calls as the fallback.
 */
interface EncodingMethods {
  base64urlWrite?: (text: string, offset: number, length: number) => number
  latin1Write?: (text: string, offset: number, length: number) => number
  utf8Slice?: (start: number, end: number) => string
}
const methods = Buffer.prototype as EncodingMethods
const direct =
  typeof methods.base64urlWrite === 'function' &&
  typeof methods.latin1Write === 'function' &&
  typeof methods.utf8Slice === 'function'

function writeBase64url(buffer: Buffer, text: string, offset: number, length: number): number {
  return direct
    ? (buffer as EncodingMethods).base64urlWrite!(text, offset, length)
    : buffer.write(text, offset, length, 'base64url')
}

/** UTF-8 text of `buffer[start, end)`. */
export function utf8Text(buffer: Buffer, start: number, end: number): string {
  return direct ? (buffer as EncodingMethods).utf8Slice!(start, end) : buffer.toString('utf8', start, end)
}

/** Bytes a base64url segment of `length` characters decodes to, or -1 when no valid segment has that length. */
function decodedLength(length: number): number {
  return length % 4 === 1 ? -1 : Math.floor((length * 3) / 4)
}

/**
 * Node's decoder skips characters outside the alphabet, so a segment is accepted only when it decodes to
 * exactly the length its characters imply. `splitJwt` has already refused non-ASCII, `+`, `/` and `=`
 * (which the decoder would read as a letter, accept, or stop at).
 */
function decodeAt(buffer: Buffer, offset: number, segment: string, what: string): number {
  const expected = decodedLength(segment.length)
  if (expected < 0 || writeBase64url(buffer, segment, offset, expected) !== expected) {
    throw new TokenError('TOKEN_MALFORMED', `${what} is not base64url`)
  }
  return offset + expected
}

/** Decodes one base64url segment strictly into a new Buffer. */
export function decodeSegment(segment: string, what: string): Buffer {
  const expected = decodedLength(segment.length)
  const bytes = Buffer.allocUnsafe(Math.max(expected, 0))
  decodeAt(bytes, 0, segment, what)
  return bytes
}

/**
 * Decodes one base64url segment strictly into the scratch buffer; the bytes are valid until the next decode.
 * Returns the buffer and the end of the decoded bytes.
 */
export function decodeSegmentScratch(segment: string, what: string): { bytes: Buffer; words: Int32Array; end: number } {
  const bytes = scratchOf(segment.length)
  return { bytes, words: scratchWords, end: decodeAt(bytes, 0, segment, what) }
}

/**
 * The bytes a JWS signature covers (`header.payload`, ASCII) and the decoded signature, as views of the
 * scratch buffer: valid only until the next decode, so pass them straight to `crypto.verify`.
 */
export function signatureParts(token: string, signingEnd: number, signature: string): { data: Buffer; sig: Buffer } {
  const buffer = scratchOf(signingEnd + signature.length)
  if (direct) (buffer as EncodingMethods).latin1Write!(token, 0, signingEnd)
  else buffer.write(token, 0, signingEnd, 'latin1')
  const end = decodeAt(buffer, signingEnd, signature, 'signature')
  return { data: buffer.subarray(0, signingEnd), sig: buffer.subarray(signingEnd, end) }
}
