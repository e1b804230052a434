/**
 * One parsed allow-list entry: an exact origin (scheme, host, port — or any
 * port with `:*`) and an optional path prefix.
 */
interface AllowEntry {
  protocol: string
  hostname: string
  port: string | '*'
  pathPrefix: string
}

const MAX_REDIRECT_LENGTH = 2048

function parseEntry(entry: string): AllowEntry {
  if (typeof entry !== 'string' || entry.trim() !== entry || entry === '') {
    throw new TypeError(`redirect allow-list entry is not a URL: ${JSON.stringify(entry)}`)
  }
  // `http://127.0.0.1:*` means any port on that host (the emulator's default); URL cannot parse `*`.
  const wildcard = /^(https?:\/\/[^/:@]+):\*(\/.*)?$/.exec(entry)
  const url = new URL(wildcard ? `${wildcard[1]}${wildcard[2] ?? '/'}` : entry)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`redirect allow-list entry must be http(s): ${entry}`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(`redirect allow-list entry must be an origin or an origin with a path: ${entry}`)
  }
  return { protocol: url.protocol, hostname: url.hostname, port: wildcard ? '*' : url.port, pathPrefix: url.pathname }
}

function hasForbiddenCharacters(value: string): boolean {
  if (/[\s\\]/.test(value)) return true
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}

function pathMatches(pathname: string, prefix: string): boolean {
  if (prefix === '/' || pathname === prefix) return true
  // `/app` allows `/app/x` but not `/application`.
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`
  return pathname.startsWith(withSlash)
}

/** Result of checking a redirect: the normalised URL to put the link on, or why it was refused. */
export type RedirectCheck = { ok: true; url: URL } | { ok: false; reason: string }

/**
 * Builds a matcher for redirect URLs from allow-list entries such as
 * `https://app.example.com`, `https://example.com/auth/` or `http://localhost:*`.
 * A redirect must be http(s), carry no user info, and match one entry on exact
 * origin (after WHATWG URL parsing, so `https://app.example.com.evil.com` or
 * `https://app.example.com@evil.com` do not) and on path prefix by segments.
 * Entries are validated eagerly: a bad entry is a `TypeError` at start-up.
 *
 * @example
 * const check = createRedirectMatcher(['https://app.example.com/auth/'])
 * check('https://app.example.com/auth/done').ok // true
 * check('javascript:alert(1)').ok // false
 */
export function createRedirectMatcher(allowList: readonly string[]): (candidate: unknown) => RedirectCheck {
  if (!Array.isArray(allowList)) throw new TypeError('redirectAllowList must be an array of URLs')
  const entries = allowList.map(parseEntry)
  return (candidate) => {
    if (typeof candidate !== 'string' || candidate === '') return { ok: false, reason: 'no redirect URL' }
    if (candidate.length > MAX_REDIRECT_LENGTH) return { ok: false, reason: 'redirect URL is too long' }
    // The URL parser silently drops tabs/newlines and trims spaces; refuse them instead of guessing intent.
    if (hasForbiddenCharacters(candidate)) return { ok: false, reason: 'redirect URL has forbidden characters' }
    let url: URL
    try {
      url = new URL(candidate)
    } catch {
      return { ok: false, reason: 'redirect URL is not absolute' }
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return { ok: false, reason: 'redirect URL must be http(s)' }
    if (url.username || url.password) return { ok: false, reason: 'redirect URL must not carry user info' }
    const allowed = entries.some(
      (entry) =>
        entry.protocol === url.protocol &&
        entry.hostname === url.hostname &&
        (entry.port === '*' || entry.port === url.port) &&
        pathMatches(url.pathname, entry.pathPrefix),
    )
    return allowed ? { ok: true, url } : { ok: false, reason: 'redirect URL is not in the allow-list' }
  }
}
