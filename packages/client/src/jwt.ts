// Reads JWT payloads WITHOUT checking signatures. The client only uses them
// for display and scheduling (expiry, user id); servers verify tokens.

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const binary = atob(padded)
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
  return new TextDecoder().decode(bytes)
}

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
