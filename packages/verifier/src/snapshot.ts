import { defaultIssuers, type PoolConfig, regionOfPoolId } from './config.js'
import { type FetchLike, fetchJwksJson } from './fetch-jwks.js'
import { indexJwks, type Jwks, rsaKeyFromJwk } from './jwks.js'

/** The file `regionless-verifier snapshot` writes and a deployment ships with. */
export interface JwksSnapshot {
  version: 1
  createdAt: string
  pools: Array<{ userPoolId: string; region: string; issuer: string; jwksUri: string; jwks: Jwks }>
}

export interface SnapshotTarget {
  userPoolId: string
  region?: string
  issuer?: string
  jwksUri?: string
}

export interface CreateSnapshotOptions {
  fetch?: FetchLike
  timeoutMs?: number
  maxBytes?: number
  now?: () => Date
}

/**
 * Downloads the JWKS of each pool and checks every key is usable for RS256, so a broken snapshot fails at build
 * time rather than during an outage.
 *
 * @example
 * const snapshot = await createJwksSnapshot([{ userPoolId: 'eu-west-1_AbC' }, { userPoolId: 'us-east-1_XyZ' }])
 */
export async function createJwksSnapshot(
  targets: SnapshotTarget[],
  options: CreateSnapshotOptions = {},
): Promise<JwksSnapshot> {
  const fetchImpl = options.fetch ?? globalThis.fetch
  const pools = await Promise.all(
    targets.map(async (target) => {
      const region = target.region ?? regionOfPoolId(target.userPoolId)
      if (!region) throw new TypeError(`snapshot: the region of ${target.userPoolId} is unknown; pass --region`)
      const issuer = target.issuer ?? defaultIssuers(target.userPoolId, region)[0]!
      const jwksUri = target.jwksUri ?? `${issuer}/.well-known/jwks.json`
      const json = await fetchJwksJson(jwksUri, {
        fetch: fetchImpl,
        timeoutMs: options.timeoutMs ?? 10_000,
        maxBytes: options.maxBytes ?? 64 * 1024,
      })
      const keys = indexJwks(json, jwksUri)
      for (const jwk of keys.values()) rsaKeyFromJwk(jwk, jwksUri)
      return { userPoolId: target.userPoolId, region, issuer, jwksUri, jwks: { keys: [...keys.values()] } }
    }),
  )
  return { version: 1, createdAt: (options.now?.() ?? new Date()).toISOString(), pools }
}

/**
 * Fills `jwks` of each pool entry from a snapshot (matched by issuer when the entry sets one, else by pool id),
 * so the verifier starts without a network call. Entries that already have `jwks` are left alone.
 *
 * @example
 * const verifier = createVerifier({ pools: withSnapshot(pools, JSON.parse(readFileSync('jwks-snapshot.json', 'utf8'))), tokenUse: 'id' })
 */
export function withSnapshot(pools: PoolConfig[], snapshot: JwksSnapshot): PoolConfig[] {
  if (snapshot?.version !== 1 || !Array.isArray(snapshot.pools)) {
    throw new TypeError('withSnapshot: snapshot is not a version 1 JWKS snapshot')
  }
  return pools.map((pool) => {
    if (pool.jwks) return pool
    const matches = snapshot.pools.filter((entry) =>
      pool.issuer ? entry.issuer === pool.issuer : entry.userPoolId === pool.userPoolId,
    )
    if (matches.length === 0) return pool
    const keys = new Map(matches.flatMap((entry) => entry.jwks.keys.map((key) => [key.kid, key] as const)))
    return { ...pool, jwks: { keys: [...keys.values()] } }
  })
}
