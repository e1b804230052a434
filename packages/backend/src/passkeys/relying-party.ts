/** The relying party as configured, checked once at start. */
export interface RelyingPartyOptions {
  /** The RP id: the site's registrable domain or a parent of the app's host (`example.com`), never an IP address. */
  rpId: string
  /** Shown by the authenticator when a passkey is created. Default: the RP id. */
  rpName?: string
  /**
   * Origins whose pages may register and use passkeys (`https://app.example.com`), each on the RP id or
   * a subdomain. `http:` only for `localhost`, where `http://localhost:*` allows any port.
   */
  origins: string[]
}

export interface RelyingParty {
  id: string
  name: string
  /** Whether a `clientDataJSON.origin` is one of the configured origins (exact, after URL parsing). */
  allowsOrigin(origin: string): boolean
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/
const IPV4 = /^\d+(\.\d+){3}$/

interface OriginRule {
  protocol: string
  hostname: string
  port: string | '*'
}

function parseOrigin(entry: unknown, rpId: string, field: string): OriginRule {
  if (typeof entry !== 'string' || entry === '') throw new TypeError(`${field} must be an array of origins`)
  const wildcard = /^(http:\/\/localhost):\*$/.exec(entry)
  let url: URL
  try {
    url = new URL(wildcard ? wildcard[1]! : entry)
  } catch {
    throw new TypeError(`${field}: ${JSON.stringify(entry)} is not an origin`)
  }
  if (url.origin !== (wildcard ? wildcard[1] : entry)) {
    throw new TypeError(`${field}: ${JSON.stringify(entry)} must be an origin (scheme, host, port; no path)`)
  }
  const local = url.hostname === 'localhost'
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new TypeError(`${field}: ${entry} must be https (http only for localhost)`)
  }
  if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
    throw new TypeError(`${field}: ${entry} is not on the RP id ${rpId} or a subdomain of it`)
  }
  return { protocol: url.protocol, hostname: url.hostname, port: wildcard ? '*' : url.port }
}

/**
 * Checks the relying-party settings; a mistake is a TypeError naming the option, at start rather than
 * at the first registration. `prefix` is where the options sit (`passkeys.` in the trigger options).
 *
 * @example
 * const rp = resolveRelyingParty({ rpId: 'example.com', origins: ['https://app.example.com'] })
 * rp.allowsOrigin('https://app.example.com') // true
 */
export function resolveRelyingParty(options: RelyingPartyOptions, prefix = 'passkeys.'): RelyingParty {
  const { rpId, rpName, origins } = (options ?? {}) as Partial<RelyingPartyOptions>
  if (typeof rpId !== 'string' || !DOMAIN.test(rpId) || IPV4.test(rpId)) {
    throw new TypeError(`${prefix}rpId must be a domain such as example.com (not a URL or an IP address)`)
  }
  if (rpName !== undefined && (typeof rpName !== 'string' || rpName.trim() === '')) {
    throw new TypeError(`${prefix}rpName must be a non-empty string`)
  }
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new TypeError(`${prefix}origins must list at least one origin`)
  }
  const rules = origins.map((origin) => parseOrigin(origin, rpId, `${prefix}origins`))
  return {
    id: rpId,
    name: rpName ?? rpId,
    allowsOrigin(origin) {
      let url: URL
      try {
        url = new URL(origin)
      } catch {
        return false
      }
      if (url.origin !== origin) return false
      return rules.some(
        (rule) =>
          rule.protocol === url.protocol &&
          rule.hostname === url.hostname &&
          (rule.port === '*' || rule.port === url.port),
      )
    },
  }
}
