import type { StorageAdapter } from './storage.js'

/**
 * What `passkeys()` from `@regionless/client/passkeys` returns (`PasskeyPlugin`), as far as the
 * configuration needs to know: the config names no WebAuthn type, so it imports nothing of the plugin.
 */
export interface PasskeysOption {
  attach(host: never): unknown
}

/** `pools`: one pool and app client per region. `replicas`: one pool replicated by Cognito to a secondary. */
export type Topology = 'pools' | 'replicas'

/** When to obtain sessions in peer pools (pools topology only). */
export type BridgeMode = 'eager' | 'on-failover' | 'off'

/** One region's user pool. */
export interface RegionConfig {
  region: string
  userPoolId: string
  clientId: string
  /** Cognito endpoint; defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string
  /** Base URL of the product's API in this region, used by `client.fetchApi` and `createApi`. */
  apiUrl?: string
  /** The pool's token issuer. Accepted, so the emulator's `/_regionless/config` answer fits; the client does not use it. */
  issuer?: string
  /** Where the pool's keys are published. Accepted like `issuer`; the client does not use it. */
  jwksUri?: string
}

/** Tuning of the per-region circuit breaker. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker (a time-out counts as this many on its own). Default 2. */
  failureThreshold?: number
  /** How long an open breaker keeps a region out, doubled on each failed trial. Default 15 000 ms. */
  cooldownMs?: number
  /** Cap for the doubled cool-down. Default 300 000 ms. */
  maxCooldownMs?: number
}

/**
 * Configuration of {@link createAuthClient}. The emulator's `/_regionless/config`
 * answer is a valid configuration as it is. There is no index signature, so a
 * misspelt option (`timeoutMS`) is a type error rather than a silent default.
 */
export interface AuthClientConfig {
  topology: Topology
  regions: readonly RegionConfig[]
  /** Region preferred while healthy. Default: the first region. */
  homeRegion?: string
  /** Replicas topology: the writable primary. Default: the first region. */
  primaryRegion?: string
  /** Where sessions and region health are kept. Default: an in-memory store. */
  storage?: StorageAdapter
  /** Prefix of the storage keys and the cross-tab channel name. Default: `regionless.<first clientId>`. */
  storageKey?: string
  /** Time-out of one Cognito call. Default 5 000 ms. */
  timeoutMs?: number
  /** Time-out of one API attempt made through `client.fetchApi`. Default 10 000 ms. */
  apiTimeoutMs?: number
  /** Start the next region if a safe call has not answered after this long, when health is unknown. Default 400 ms. */
  hedgeDelayMs?: number
  breaker?: BreakerOptions
  /** Session bridge mode (pools topology). Default `'eager'`. */
  bridge?: BridgeMode
  /** Minimum wait between two sends the client allows itself. Default 30 s. */
  resendCooldownSeconds?: number
  /** Refresh tokens this long before they expire. Default 120 s. */
  refreshMarginSeconds?: number
  /** Default redirect for magic links; in a browser, the current page. */
  redirectUri?: string
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number
  /**
   * Passkey sign-in and management: `passkeys()` from `@regionless/client/passkeys`.
   * Without it the passkey methods reject with `PASSKEYS_NOT_CONFIGURED`.
   */
  passkeys?: PasskeysOption
}

export interface ResolvedRegion {
  region: string
  userPoolId: string
  clientId: string
  endpoint: string
  apiUrl: string | undefined
}

export interface ResolvedConfig {
  topology: Topology
  regions: ResolvedRegion[]
  homeRegion: string
  primaryRegion: string
  storage: StorageAdapter | undefined
  storageKey: string
  timeoutMs: number
  apiTimeoutMs: number
  hedgeDelayMs: number
  breaker: Required<BreakerOptions>
  bridge: BridgeMode
  resendCooldownSeconds: number
  refreshMarginSeconds: number
  redirectUri: string | undefined
  fetch: typeof fetch
  now: () => number
}

const matches = (value: unknown, pattern: RegExp): value is string => typeof value === 'string' && pattern.test(value)

// A developer's mistake: "Regionless config: <field> must be <what>".
function check(ok: boolean, field: string, what: string): void {
  if (!ok) throw new TypeError(`Regionless config: ${field} must be ${what}`)
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  check(allowed.includes(value as T), field, `one of ${allowed.join(', ')}`)
  return value as T
}

function url(value: unknown, field: string): string | undefined {
  if (value !== undefined) check(matches(value, /^https?:\/\/[^/\s]+/), field, 'an http(s) URL')
  return value as string | undefined
}

// Numeric options and their defaults, checked in one loop.
const TIMINGS = {
  timeoutMs: 5_000,
  apiTimeoutMs: 10_000,
  hedgeDelayMs: 400,
  resendCooldownSeconds: 30,
  refreshMarginSeconds: 120,
}
const BREAKER = { failureThreshold: 2, cooldownMs: 15_000, maxCooldownMs: 300_000 }

function positives<T extends Record<string, number>>(given: object, defaults: T, prefix = ''): T {
  const out = { ...defaults }
  for (const key in defaults) {
    const value = (given as Record<string, unknown>)[key]
    if (value === undefined) continue
    check(typeof value === 'number' && value > 0 && Number.isFinite(value), prefix + key, 'a positive number')
    out[key] = value as T[typeof key]
  }
  return out
}

function resolveRegion(raw: unknown, i: number): ResolvedRegion {
  const at = `regions[${i}].`
  const { region, userPoolId, clientId, endpoint, apiUrl } = (raw ?? {}) as Record<string, unknown>
  check(matches(region, /^[a-z0-9-]+$/), `${at}region`, 'a region name')
  check(matches(userPoolId, /^[\w-]+_\w+$/), `${at}userPoolId`, 'a pool id like eu-west-1_AbC123')
  check(matches(clientId, /\S/), `${at}clientId`, 'a non-empty string')
  return {
    region: region as string,
    userPoolId: userPoolId as string,
    clientId: clientId as string,
    endpoint: url(endpoint, `${at}endpoint`) ?? `https://cognito-idp.${region}.amazonaws.com/`,
    apiUrl: url(apiUrl, `${at}apiUrl`),
  }
}

/** Checks a configuration; a caller's mistake throws a `TypeError` naming the field. */
export function resolveConfig(config: AuthClientConfig): ResolvedConfig {
  const c = (config ?? {}) as AuthClientConfig
  const topology = oneOf(c.topology, ['pools', 'replicas'], 'topology')
  check(Array.isArray(c.regions) && c.regions.length > 0, 'regions', 'a non-empty array')
  const regions = c.regions.map(resolveRegion)
  const names = regions.map((r) => r.region)
  const first = regions[0]!
  regions.forEach((r, i) => {
    check(names.indexOf(r.region) === i, `regions[${i}].region`, 'unique')
    // One pool replicated by Cognito has one id in every region.
    check(
      topology === 'pools' || r.userPoolId === first.userPoolId,
      `regions[${i}].userPoolId`,
      'the same as in regions[0]',
    )
  })
  const bridge = oneOf(c.bridge ?? 'eager', ['eager', 'on-failover', 'off'], 'bridge')
  for (const m of c.storage ? (['getItem', 'setItem', 'removeItem'] as const) : []) {
    check(typeof c.storage![m] === 'function', `storage.${m}`, 'a function')
  }
  for (const f of ['fetch', 'now'] as const) check(c[f] === undefined || typeof c[f] === 'function', f, 'a function')
  if (c.storageKey !== undefined) check(matches(c.storageKey, /\S/), 'storageKey', 'a non-empty string')
  return {
    topology,
    regions,
    homeRegion: oneOf(c.homeRegion ?? first.region, names, 'homeRegion'),
    primaryRegion: oneOf(c.primaryRegion ?? first.region, names, 'primaryRegion'),
    storage: c.storage,
    storageKey: c.storageKey ?? `regionless.${first.clientId}`,
    ...positives(c, TIMINGS),
    breaker: positives(c.breaker ?? {}, BREAKER, 'breaker.'),
    bridge: topology === 'pools' ? bridge : 'off',
    redirectUri: url(c.redirectUri, 'redirectUri'),
    fetch: c.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: c.now ?? Date.now,
  }
}
