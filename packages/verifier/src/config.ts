import type { FetchLike } from './fetch-jwks.js'
import type { Jwks } from './jwks.js'
import { createKeySource, type KeySource } from './key-source.js'
import { DEFAULT_MAX_TOKEN_BYTES } from './parse-jwt.js'

/** One user pool (or one replica of a pool) whose tokens are accepted. */
export interface PoolConfig {
  /** `<region>_<id>`, e.g. `eu-west-1_AbC123`. */
  userPoolId: string
  /** The app client id(s) whose tokens are accepted: `aud` of ID tokens, `client_id` of access tokens. */
  clientId: string | string[]
  /** Region of this pool or replica; defaults to the pool id's prefix. */
  region?: string
  /** Exact `iss` to accept. Defaults to the regional and the multi-region Cognito issuers of the pool. */
  issuer?: string
  /** Where the keys are fetched. Defaults to `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string
  /** A JWKS snapshot. Without an explicit `jwksUri`, no network call is made for this pool. */
  jwks?: Jwks
}

export type TokenUse = 'access' | 'id'

export interface VerifierOptions {
  pools: PoolConfig[]
  /** Which tokens the API accepts; `'any'` accepts both kinds. */
  tokenUse: TokenUse | 'any'
  /** Tolerance for clocks that disagree, applied to `exp`, `nbf` and `iat`. Default 30. */
  clockSkewSeconds?: number
  /** The token must carry at least one of these in `cognito:groups`. */
  groups?: string[]
  /** The access token must carry at least one of these in `scope`. */
  scopes?: string[]
  /** Cache of verified tokens (keyed by the whole token, never used past `exp`). `false` turns it off. */
  cache?: { max: number } | false
  /** Used for JWKS downloads. Default: the global `fetch`. */
  fetch?: FetchLike
  /** Time-out of one JWKS download. Default 5000. */
  jwksTimeoutMs?: number
  /** Largest JWKS body accepted. Default 64 KiB. */
  maxJwksBytes?: number
  /** Penalty box: at least this long between two downloads of one JWKS. Default 10000. */
  jwksMinRefetchIntervalMs?: number
  /** Tokens longer than this are refused before any parsing. Default 16 KiB. */
  maxTokenBytes?: number
  /** Milliseconds since the epoch; for tests. Default `Date.now`. */
  clock?: () => number
}

/** What one configured pool entry contributes to an issuer. */
export interface PoolEntry {
  userPoolId: string
  region: string
  clientIds: ReadonlySet<string>
}

/** Everything known about one trusted `iss` value. */
export interface TrustedIssuer {
  issuer: string
  userPoolId: string
  /** In config order; replicas of one pool share an issuer and so appear here together. */
  entries: PoolEntry[]
  /** Where this issuer's keys may come from, in config order (replicas can list one per region). */
  sources: KeySource[]
}

export interface ResolvedConfig {
  issuers: Map<string, TrustedIssuer>
  tokenUse: TokenUse | 'any'
  clockSkewSeconds: number
  groups: string[] | undefined
  scopes: string[] | undefined
  cacheMax: number
  maxTokenBytes: number
  clock: () => number
}

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+$/

/** The region a Cognito user pool id starts with, or undefined when the id has another shape. */
export function regionOfPoolId(userPoolId: string): string | undefined {
  return POOL_ID.exec(userPoolId)?.[1]
}

/** Issuer strings Cognito uses for a pool: regional, and multi-region (replicas, named after the primary). */
export function defaultIssuers(userPoolId: string, region: string): string[] {
  const primary = regionOfPoolId(userPoolId) ?? region
  return [
    `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    `https://issuer-cognito-idp.${primary}.amazonaws.com/${userPoolId}`,
  ]
}

function fail(field: string, problem: string): never {
  throw new TypeError(`createVerifier: ${field} ${problem}`)
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'must be a non-empty string')
  return value
}

function optionalList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0) fail(field, 'must be a non-empty array of strings')
  return value.map((item, i) => nonEmptyString(item, `${field}[${i}]`))
}

function positive(value: unknown, field: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(field, allowZero ? 'must be a number ≥ 0' : 'must be a positive number')
  }
  return value
}

function url(value: string, field: string): string {
  if (!URL.canParse(value)) fail(field, `is not a URL: ${value}`)
  return value
}

/**
 * Validates the options (a caller's mistake is a TypeError naming the field) and groups the pools by issuer,
 * creating one key source per JWKS URI.
 */
export function resolveConfig(options: VerifierOptions): ResolvedConfig {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object')
  if (!Array.isArray(options.pools) || options.pools.length === 0) fail('pools', 'must be a non-empty array')
  if (!['access', 'id', 'any'].includes(options.tokenUse)) fail('tokenUse', "must be 'access', 'id' or 'any'")
  const scopes = optionalList(options.scopes, 'scopes')
  if (scopes && options.tokenUse === 'id') fail('scopes', "cannot be checked on ID tokens (tokenUse: 'id')")
  const fetchImpl = options.fetch ?? globalThis.fetch
  if (typeof fetchImpl !== 'function') fail('fetch', 'must be a function (no global fetch found)')
  if (options.cache !== undefined && options.cache !== false && typeof options.cache !== 'object') {
    fail('cache', 'must be { max } or false')
  }
  const clock = options.clock ?? Date.now
  const fetchOptions = {
    fetch: fetchImpl,
    timeoutMs: positive(options.jwksTimeoutMs, 'jwksTimeoutMs', 5000),
    maxBytes: positive(options.maxJwksBytes, 'maxJwksBytes', 64 * 1024),
    minRefetchIntervalMs: positive(options.jwksMinRefetchIntervalMs, 'jwksMinRefetchIntervalMs', 10_000, true),
    clock,
  }
  const sources = new Map<string, KeySource>()
  const issuers = new Map<string, TrustedIssuer>()

  options.pools.forEach((pool, i) => {
    const at = `pools[${i}]`
    const userPoolId = nonEmptyString(pool?.userPoolId, `${at}.userPoolId`)
    const region = pool.region === undefined ? regionOfPoolId(userPoolId) : nonEmptyString(pool.region, `${at}.region`)
    if (!region) fail(`${at}.region`, `is required: "${userPoolId}" does not start with a region`)
    const clientIds = Array.isArray(pool.clientId)
      ? optionalList(pool.clientId, `${at}.clientId`)!
      : [nonEmptyString(pool.clientId, `${at}.clientId`)]
    if (pool.jwks !== undefined && !Array.isArray(pool.jwks?.keys))
      fail(`${at}.jwks`, 'must be a JWKS ({ keys: [...] })')
    const issuerList =
      pool.issuer === undefined ? defaultIssuers(userPoolId, region) : [url(pool.issuer, `${at}.issuer`)]
    const entry: PoolEntry = { userPoolId, region, clientIds: new Set(clientIds) }

    for (const issuer of issuerList) {
      const jwksUri =
        pool.jwksUri === undefined ? `${issuer}/.well-known/jwks.json` : url(pool.jwksUri, `${at}.jwksUri`)
      const canFetch = !pool.jwks || pool.jwksUri !== undefined
      let source = sources.get(jwksUri)
      if (!source) {
        source = createKeySource({ ...fetchOptions, jwksUri, canFetch })
        sources.set(jwksUri, source)
      } else if (canFetch) {
        // Another entry shares this URI with a snapshot only; this one allows downloads.
        source.allowDownloads()
      }
      if (pool.jwks) source.addSnapshot(pool.jwks)
      const trusted = issuers.get(issuer) ?? { issuer, userPoolId, entries: [], sources: [] }
      if (trusted.userPoolId !== userPoolId)
        fail(`${at}.issuer`, `${issuer} is already used by pool ${trusted.userPoolId}`)
      trusted.entries.push(entry)
      if (!trusted.sources.includes(source)) trusted.sources.push(source)
      issuers.set(issuer, trusted)
    }
  })

  const cacheMax = options.cache === false ? 0 : positive(options.cache?.max, 'cache.max', 10_000, true)
  return {
    issuers,
    tokenUse: options.tokenUse,
    clockSkewSeconds: positive(options.clockSkewSeconds, 'clockSkewSeconds', 30, true),
    groups: optionalList(options.groups, 'groups'),
    scopes,
    cacheMax,
    maxTokenBytes: positive(options.maxTokenBytes, 'maxTokenBytes', DEFAULT_MAX_TOKEN_BYTES),
    clock,
  }
}
