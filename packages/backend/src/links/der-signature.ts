/**
 * Converts an ECDSA signature from DER (what KMS `Sign` returns: a SEQUENCE
 * of two INTEGERs) to the fixed-size `r || s` form JOSE requires (RFC 7518
 * §3.4): each integer stripped of its sign-padding zero and left-padded to
 * `size` bytes (32 for P-256).
 *
 * @example
 * derToJoseSignature(kmsSignature) // 64 bytes for ES256
 */
export function derToJoseSignature(der: Uint8Array, size = 32): Uint8Array {
  let offset = 0
  const fail = (why: string): never => {
    throw new Error(`invalid DER ECDSA signature: ${why}`)
  }
  const readLength = (): number => {
    const first = der[offset++] ?? fail('truncated')
    if (first < 0x80) return first
    const bytes = first & 0x7f
    if (bytes === 0 || bytes > 2) fail('unsupported length')
    let length = 0
    for (let i = 0; i < bytes; i++) length = (length << 8) | (der[offset++] ?? fail('truncated'))
    return length
  }
  const readInteger = (): Uint8Array => {
    if (der[offset++] !== 0x02) fail('expected INTEGER')
    const length = readLength()
    if (length === 0 || offset + length > der.length) fail('bad INTEGER length')
    let value = der.subarray(offset, offset + length)
    offset += length
    while (value.length > 1 && value[0] === 0) value = value.subarray(1)
    if (value.length > size) fail('INTEGER too large')
    const padded = new Uint8Array(size)
    padded.set(value, size - value.length)
    return padded
  }
  if (der[offset++] !== 0x30) fail('expected SEQUENCE')
  const sequenceLength = readLength()
  if (offset + sequenceLength !== der.length) fail('trailing or missing bytes')
  const r = readInteger()
  const s = readInteger()
  if (offset !== der.length) fail('trailing bytes in SEQUENCE')
  const out = new Uint8Array(size * 2)
  out.set(r, 0)
  out.set(s, size)
  return out
}
