import type { IncomingMessage } from 'node:http'
import { type OriginAllowList, parseOrigin } from '../config/allowed-origins.js'

// Names that resolve to this machine's loopback interface whatever DNS says. A rebinding attack points
// a name of its own (evil.example) at 127.0.0.1: the browser then sends that name as the Host.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

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
