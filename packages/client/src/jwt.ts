// Reads JWT payloads WITHOUT checking signatures. The client only uses them
// for display and scheduling (expiry, user id); servers verify tokens.

// atob accepts unpadded base64 (the "forgiving" decode of the HTML spec).
const base64UrlDecode = (segment: string): string =>
  new TextDecoder().decode(Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

/** The claims of a compact JWT/JWS, or `null` when it is not one. Never trusted. */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.')
  try {
    // An empty or non-base64 segment makes atob or JSON.parse throw.
    const payload = parts.length === 3 && JSON.parse(base64UrlDecode(parts[1]!))
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : null
  } catch {
    return null
  }
}

/** A claim of `type`, else undefined. */
export const claim = <T extends string | number>(
  claims: Record<string, unknown> | null,
  name: string,
  type: T extends string ? 'string' : 'number',
): T | undefined => (typeof claims?.[name] === type ? (claims![name] as T) : undefined)
