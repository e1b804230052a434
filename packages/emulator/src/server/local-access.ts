import type { IncomingMessage } from 'node:http'

/**
 * The demo app's origins (`pnpm demo` serves the example React app on port 5173): what the emulator's
 * servers answer when no `allowedOrigins` is configured.
 */
export const DEFAULT_ALLOWED_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173']

// Names that resolve to this machine's loopback interface whatever DNS says. A rebinding attack points
// a name of its own (evil.example) at 127.0.0.1: the browser then sends that name as the Host.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

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

/** True when `host` (a Host header) names the loopback interface on `port`. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  // Only name[:port]: a `user@` part or a path would let URL parsing below read another host.
  if (!host || !/^(\[::1\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) return false
  const url = new URL(`http://${host}`)
  return LOOPBACK_HOSTS.has(url.hostname) && Number(url.port || 80) === port
}

export type AccessVerdict = 'allowed' | 'foreign-host' | 'foreign-origin'

/**
 * Whether a request may reach an emulator server on `port`: its Host must name the loopback interface
 * on that port (DNS rebinding sends another name), and an Origin, when the browser sends one, must be
 * an allowed app origin or the server's own (the inbox page). A foreign origin is refused outright,
 * not only denied CORS headers: a simple POST (a form, `no-cors` fetch) needs no preflight and would
 * still flip a fault or empty the inbox.
 */
export function checkLocalAccess(req: IncomingMessage, port: number, origins: OriginAllowList): AccessVerdict {
  if (!isLoopbackHost(req.headers.host, port)) return 'foreign-host'
  const origin = req.headers.origin
  if (origin === undefined) return 'allowed'
  if (origins.allows(origin)) return 'allowed'
  const own = parseOrigin(origin)
  return own && new URL(own).protocol === 'http:' && isLoopbackHost(new URL(own).host, port)
    ? 'allowed'
    : 'foreign-origin'
}
