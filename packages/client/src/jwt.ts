// Reads JWT payloads WITHOUT checking signatures. The client only uses them
// for display and scheduling (expiry, user id); servers verify tokens.

// atob accepts unpadded base64 (the "forgiving" decode of the HTML spec).
const base64UrlDecode = (segment: string): string =>
  new TextDecoder().decode(Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

/** The claims of a compact JWT/JWS, or `null` when it is not one. Never trusted. */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[1]) return null
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1]))
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : null
  } catch {
    return null
  }
}

export const claimString = (claims: Record<string, unknown> | null, name: string): string | undefined => {
  const value = claims?.[name]
  return typeof value === 'string' ? value : undefined
}

export const claimNumber = (claims: Record<string, unknown> | null, name: string): number | undefined => {
  const value = claims?.[name]
  return typeof value === 'number' ? value : undefined
}
