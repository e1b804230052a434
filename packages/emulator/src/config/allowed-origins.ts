// Which browser origins may call the emulator: checked at start (a bad one names the field), and
// shared by every server so that one allowed later reaches them all.

/**
 * The demo app's origins (`pnpm demo` serves the example React app on port 5173): what the emulator's
 * servers answer when no `allowedOrigins` is configured.
 */
export const DEFAULT_ALLOWED_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173']

/**
 * `value` as a normalised web origin (`http://localhost:5173`), or undefined when it is not one: an
 * http(s) URL with nothing after the host and port.
 */
export function parseOrigin(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  // Nothing after the host and port (a trailing slash aside): an Origin header carries no path or user.
  return value.replace(/\/$/, '').toLowerCase() === url.origin ? url.origin : undefined
}

/** The browser origins a server trusts; the emulator's handle can add one learnt after start. */
export interface OriginAllowList {
  allows(origin: string): boolean
  add(origin: string): void
  list(): string[]
}

export function createOriginAllowList(origins: readonly string[]): OriginAllowList {
  const allowed = new Set<string>()
  const add = (origin: string) => {
    const parsed = parseOrigin(origin)
    if (!parsed) throw new TypeError(`not a web origin: ${origin} (expected e.g. http://localhost:5173)`)
    allowed.add(parsed)
  }
  for (const origin of origins) add(origin)
  return { allows: (origin) => allowed.has(origin), add, list: () => [...allowed] }
}
