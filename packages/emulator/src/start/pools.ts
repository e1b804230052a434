import type { PoolSettings, RegionPool } from '../cognito/context.js'
import type { ResolvedConfig } from '../config/emulator-config.js'
import type { ReplicaFeed } from '../replication/replica-feed.js'
import { createSessionStore } from '../store/challenge-sessions.js'
import { createUserStore } from '../store/user-store.js'
import type { PoolKeys } from '../tokens/pool-keys.js'
import { createTokenService } from '../tokens/token-service.js'

/** The app client's settings, the same in every region. */
export function poolSettings(config: ResolvedConfig): PoolSettings {
  return {
    authSessionValidityMinutes: config.client.authSessionValidityMinutes,
    preventUserExistenceErrors: config.client.preventUserExistenceErrors,
    tokenValidity: {
      accessSeconds: config.client.accessTokenValiditySeconds,
      idSeconds: config.client.idTokenValiditySeconds,
      refreshSeconds: config.client.refreshTokenValidityDays * 86_400,
    },
    refreshTokenRotation: config.client.refreshTokenRotation,
    attributes: { read: config.client.readAttributes, write: config.client.writeAttributes },
    allowedFirstAuthFactors: config.pool.allowedFirstAuthFactors,
    keepOriginalEmail: config.pool.keepOriginalEmail,
  }
}

/** Replicas have one issuer, in the primary's region; independent pools have one each. */
export const issuerOf = (config: ResolvedConfig, region: string, userPoolId: string) =>
  config.topology === 'replicas'
    ? `https://issuer-cognito-idp.${config.regions[0]?.region}.amazonaws.com/${userPoolId}`
    : `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`

/**
 * One pool per region, with no triggers yet (they need the regions' endpoints). Replicas share one
 * key ring and one token service, so tokens and refresh tokens (rotated ones too) work in both
 * regions; the primary's user writes reach the secondary through `feed`.
 */
export function buildPools(options: {
  config: ResolvedConfig
  keys: PoolKeys[]
  feed: ReplicaFeed
  now: () => number
}): RegionPool[] {
  const { config, feed, now } = options
  const settings = poolSettings(config)
  const services = options.keys.map((keys, i) => {
    const r = config.regions[i] as ResolvedConfig['regions'][number]
    const issuer = issuerOf(config, r.region, r.userPoolId)
    const rotation = settings.refreshTokenRotation
    return { keys, tokens: createTokenService({ keys, issuer, validity: settings.tokenValidity, rotation, now }) }
  })
  const pools = config.regions.map((r, i): RegionPool => {
    const shared = services[config.topology === 'replicas' ? 0 : i] as (typeof services)[number]
    const role: RegionPool['role'] = config.topology === 'pools' ? 'pool' : i === 0 ? 'primary' : 'secondary'
    return {
      region: r.region,
      userPoolId: r.userPoolId,
      clientId: r.clientId,
      issuer: issuerOf(config, r.region, r.userPoolId),
      role,
      primaryRegion: config.regions[0]?.region ?? r.region,
      createdAt: now(),
      users: createUserStore({
        emailAlias: config.pool.emailAlias,
        ...(role === 'primary' && { onChange: (change) => feed.publish(change) }),
      }),
      keys: shared.keys,
      tokens: shared.tokens,
      sessions: createSessionStore({ now, validityMinutes: settings.authSessionValidityMinutes }),
      settings,
      triggers: {},
    }
  })
  for (const pool of pools) if (pool.role === 'secondary') feed.subscribe(pool.users)
  return pools
}
