import type { StorageAdapter } from './storage.js'

/** `pools`: one pool and app client per region. `replicas`: one pool replicated by Cognito to a secondary. */
export type Topology = 'pools' | 'replicas'

/** When to obtain sessions in peer pools (pools topology only). */
export type BridgeMode = 'eager' | 'on-failover' | 'off'

/** One region's user pool. Extra fields (such as the emulator's `issuer`, `jwksUri`) are allowed and ignored. */
export interface RegionConfig {
  region: string
  userPoolId: string
  clientId: string
  /** Cognito endpoint; defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string
  /** Base URL of the product's API in this region, used by `client.api`. */
  apiUrl?: string
  issuer?: string
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
 * answer is a valid configuration as it is.
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
  /** Time-out of one API attempt made through `client.api`. Default 10 000 ms. */
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
  [extra: string]: unknown
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

const fail = (field: string, problem: string): never => {
  throw new TypeError(`Invalid Regionless configuration: ${field} ${problem}`)
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== ''

function url(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined
  if (!isText(value) || !/^https?:\/\/[^/\s]+/.test(value)) fail(field, 'must be an http(s) URL')
  return value as string
}

function positive(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!(typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY))
    fail(field, 'must be a positive number')
  return value as number
}

function resolveRegion(raw: unknown, i: number): ResolvedRegion {
  const at = `regions[${i}].`
  const r = (raw ?? {}) as Record<string, unknown>
  const region = r.region as string
  if (!isText(region) || !/^[a-z0-9-]+$/.test(region)) fail(`${at}region`, 'must be a region name')
  if (!isText(r.userPoolId) || !/^[\w-]+_\w+$/.test(r.userPoolId))
    fail(`${at}userPoolId`, 'must look like eu-west-1_AbC123')
  if (!isText(r.clientId)) fail(`${at}clientId`, 'must be a non-empty string')
  return {
    region,
    userPoolId: r.userPoolId as string,
    clientId: r.clientId as string,
    endpoint: url(r.endpoint, `${at}endpoint`) ?? `https://cognito-idp.${region}.amazonaws.com/`,
    apiUrl: url(r.apiUrl, `${at}apiUrl`),
  }
}

/** Checks a configuration; a caller's mistake throws a `TypeError` naming the field. */
export function resolveConfig(config: AuthClientConfig): ResolvedConfig {
  const c = (config ?? {}) as AuthClientConfig
  if (c.topology !== 'pools' && c.topology !== 'replicas') fail('topology', "must be 'pools' or 'replicas'")
  if (!Array.isArray(c.regions) || !c.regions.length) fail('regions', 'must be a non-empty array')
  const regions = c.regions.map(resolveRegion)
  const names = regions.map((r) => r.region)
  const first = regions[0]!
  regions.forEach((r, i) => {
    if (names.indexOf(r.region) !== i) fail(`regions[${i}].region`, `repeats ${r.region}`)
    if (c.topology === 'replicas' && r.userPoolId !== first.userPoolId) {
      fail(`regions[${i}].userPoolId`, 'must equal regions[0].userPoolId (replicas)')
    }
  })
  const pick = (value: unknown, field: string) => {
    if (value !== undefined && !names.includes(value as string)) fail(field, `must be one of ${names.join(', ')}`)
    return (value as string | undefined) ?? first.region
  }
  const bridge = c.bridge ?? 'eager'
  if (!['eager', 'on-failover', 'off'].includes(bridge)) fail('bridge', "must be 'eager', 'on-failover' or 'off'")
  for (const m of ['getItem', 'setItem', 'removeItem'] as const) {
    if (c.storage && typeof c.storage[m] !== 'function') fail(`storage.${m}`, 'must be a function')
  }
  for (const f of ['fetch', 'now'] as const)
    if (c[f] !== undefined && typeof c[f] !== 'function') fail(f, 'must be a function')
  if (c.storageKey !== undefined && !isText(c.storageKey)) fail('storageKey', 'must be a string')
  const b = c.breaker ?? {}
  return {
    topology: c.topology,
    regions,
    homeRegion: pick(c.homeRegion, 'homeRegion'),
    primaryRegion: pick(c.primaryRegion, 'primaryRegion'),
    storage: c.storage,
    storageKey: c.storageKey ?? `regionless.${first.clientId}`,
    timeoutMs: positive(c.timeoutMs, 'timeoutMs', 5_000),
    apiTimeoutMs: positive(c.apiTimeoutMs, 'apiTimeoutMs', 10_000),
    hedgeDelayMs: positive(c.hedgeDelayMs, 'hedgeDelayMs', 400),
    breaker: {
      failureThreshold: positive(b.failureThreshold, 'breaker.failureThreshold', 2),
      cooldownMs: positive(b.cooldownMs, 'breaker.cooldownMs', 15_000),
      maxCooldownMs: positive(b.maxCooldownMs, 'breaker.maxCooldownMs', 300_000),
    },
    bridge: c.topology === 'pools' ? bridge : 'off',
    resendCooldownSeconds: positive(c.resendCooldownSeconds, 'resendCooldownSeconds', 30),
    refreshMarginSeconds: positive(c.refreshMarginSeconds, 'refreshMarginSeconds', 120),
    redirectUri: url(c.redirectUri, 'redirectUri'),
    fetch: c.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: c.now ?? Date.now,
  }
}
