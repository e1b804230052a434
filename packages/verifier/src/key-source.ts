import type { KeyObject } from 'node:crypto'
import { TokenError } from './errors.js'
import { type FetchJwksOptions, fetchJwksJson } from './fetch-jwks.js'
import { indexJwks, type Jwk, type Jwks, rsaKeyFromJwk } from './jwks.js'

export interface KeySourceOptions extends FetchJwksOptions {
  jwksUri: string
  /** False when the keys come only from a snapshot: then no network call is ever made. */
  canFetch: boolean
  /** The penalty box: after a download (good or bad) the next one waits at least this long. */
  minRefetchIntervalMs: number
  clock: () => number
}

/** The keys behind one JWKS URI: snapshot keys, downloaded keys, and the KeyObjects made from them. */
export interface KeySource {
  readonly jwksUri: string
  /** The KeyObject for `kid` if its JWK is already known; no I/O. */
  keyFor(kid: string): KeyObject | undefined
  /** Downloads the JWKS again unless the penalty box forbids it; concurrent callers share one download. */
  refresh(): Promise<void>
  /** Adds the keys of a snapshot (used at start, and by the CLI's output). */
  addSnapshot(jwks: Jwks): void
  knownKids(): string[]
  /** Lets a source created for a snapshot also download (another pool entry gave the URI without a snapshot). */
  allowDownloads(): void
}

/** One JWKS URI's keys. Failures stay inside this source: other pools' sources are separate objects. */
export function createKeySource(options: KeySourceOptions): KeySource {
  const source = options.jwksUri
  let jwks = new Map<string, Jwk>()
  const snapshotKids = new Set<string>()
  const keyObjects = new Map<string, KeyObject>()
  let lastAttemptAt = Number.NEGATIVE_INFINITY
  let lastError: TokenError | undefined
  let inFlight: Promise<void> | undefined
  let canFetch = options.canFetch

  function replace(next: Map<string, Jwk>): void {
    // A kid whose JWK changed must not keep serving the old KeyObject.
    for (const [kid, jwk] of next) if (jwks.get(kid) !== jwk) keyObjects.delete(kid)
    jwks = next
  }

  async function download(): Promise<void> {
    lastAttemptAt = options.clock()
    try {
      const downloaded = indexJwks(await fetchJwksJson(source, options), source)
      // Keep snapshot keys a download does not list: a snapshot is trusted config, not a cache.
      for (const [kid, jwk] of jwks) if (!downloaded.has(kid) && snapshotKids.has(kid)) downloaded.set(kid, jwk)
      replace(downloaded)
      lastError = undefined
    } catch (error) {
      lastError =
        error instanceof TokenError
          ? error
          : new TokenError('JWKS_INVALID', `JWKS at ${source} failed`, { cause: error })
      throw lastError
    } finally {
      inFlight = undefined
    }
  }

  return {
    jwksUri: source,
    keyFor(kid) {
      const cached = keyObjects.get(kid)
      if (cached) return cached
      const jwk = jwks.get(kid)
      if (!jwk) return undefined
      const key = rsaKeyFromJwk(jwk, source)
      keyObjects.set(kid, key)
      return key
    },
    refresh() {
      if (!canFetch) return Promise.resolve()
      if (inFlight) return inFlight
      if (options.clock() - lastAttemptAt < options.minRefetchIntervalMs) {
        return lastError ? Promise.reject(lastError) : Promise.resolve()
      }
      inFlight = download()
      return inFlight
    },
    addSnapshot(snapshot) {
      const next = new Map(jwks)
      for (const [kid, jwk] of indexJwks(snapshot, `the snapshot for ${source}`)) {
        next.set(kid, jwk)
        snapshotKids.add(kid)
      }
      replace(next)
    },
    knownKids: () => [...jwks.keys()],
    allowDownloads() {
      canFetch = true
    },
  }
}
