import { AUTH_ENV } from '../env-config.js'
import { type DeployConfig, DeployConfigError, type DeployRegion } from './config.js'

/** The file `regionless-verifier snapshot` writes (version 1). */
export interface SnapshotFile {
  version: 1
  pools: Array<{ userPoolId: string; region: string; issuer: string; jwks: { keys: Array<Record<string, unknown>> } }>
}

/** The pool this region runs: ids are CloudFormation tokens for a pool the stack creates. */
export interface LocalPool {
  region: string
  userPoolId: string
  clientId: string
}

/** Lambda caps all variables of a function at 4 KB; leave room for the rest. */
const MAX_BRIDGE_JSON = 3000

/** Regions other than this one whose pool and client ids the config already knows (pools topology). */
export function knownPeers(
  config: DeployConfig,
  region: string,
): Array<Required<Pick<DeployRegion, 'region' | 'userPoolId' | 'clientId'>>> {
  if (config.topology === 'replicas') return []
  return config.regions.flatMap((r) =>
    r.region !== region && r.userPoolId && r.clientId
      ? [{ region: r.region, userPoolId: r.userPoolId, clientId: r.clientId }]
      : [],
  )
}

/** Checks the snapshot's shape, so a wrong file fails synth instead of the first bridge. */
export function parseSnapshot(json: unknown, source: string): SnapshotFile {
  const snapshot = json as SnapshotFile
  if (snapshot?.version !== 1 || !Array.isArray(snapshot.pools)) {
    throw new DeployConfigError('jwksSnapshotPath', `${source} is not a version 1 JWKS snapshot`)
  }
  for (const pool of snapshot.pools) {
    if (typeof pool.userPoolId !== 'string' || typeof pool.issuer !== 'string' || !Array.isArray(pool.jwks?.keys)) {
      throw new DeployConfigError('jwksSnapshotPath', `${source} has a pool entry without userPoolId, issuer or jwks`)
    }
  }
  return snapshot
}

/**
 * The bridge's trusted peers: each known peer pool with its client id and the keys from the snapshot.
 * Empty until the config lists peers and a snapshot is given (the second deploy).
 */
export function bridgePools(config: DeployConfig, region: string, snapshot: SnapshotFile | undefined) {
  if (!snapshot) return []
  return knownPeers(config, region).map((peer) => {
    const entry = snapshot.pools.find((p) => p.userPoolId === peer.userPoolId)
    if (!entry) {
      throw new DeployConfigError(
        'jwksSnapshotPath',
        `has no keys for ${peer.userPoolId}; run regionless-verifier snapshot again after deploying ${peer.region}`,
      )
    }
    return { issuer: entry.issuer, clientIds: [peer.clientId], jwks: { keys: entry.jwks.keys } }
  })
}

/**
 * Environment of the four challenge triggers (names from `AUTH_ENV`, the variables the Lambda entry
 * validates at cold start).
 */
export function authEnvironment(options: {
  config: DeployConfig
  local: LocalPool
  tableName: string
  keyArn: string
  snapshot: SnapshotFile | undefined
}): Record<string, string> {
  const { config, local } = options
  const trusted = [local.userPoolId, ...knownPeers(config, local.region).map((p) => p.userPoolId)]
  const bridge = bridgePools(config, local.region, options.snapshot)
  const bridgeJson = JSON.stringify(bridge)
  if (bridgeJson.length > MAX_BRIDGE_JSON) {
    throw new DeployConfigError(
      'jwksSnapshotPath',
      `the bridge's peer keys take ${bridgeJson.length} bytes, more than fits in Lambda's 4 KB of variables; trim the snapshot to the current keys`,
    )
  }
  const env: Record<string, string> = {
    [AUTH_ENV.emailFrom]: config.email.from,
    [AUTH_ENV.linkKmsKeyId]: options.keyArn,
    [AUTH_ENV.linkAudience]: config.links.audience,
    [AUTH_ENV.trustedPoolIds]: trusted.join(','),
    [AUTH_ENV.redirectAllowList]: config.links.redirectAllowList.join(','),
    [AUTH_ENV.tableName]: options.tableName,
  }
  const optional: Array<[string, string | number | undefined]> = [
    [AUTH_ENV.sesConfigurationSet, config.email.configurationSet],
    [AUTH_ENV.linkTtlSeconds, config.links.ttlSeconds],
    [AUTH_ENV.codeLength, config.codes.length],
    [AUTH_ENV.maxCodeAttempts, config.codes.maxAttempts],
    [AUTH_ENV.minSendIntervalSeconds, config.codes.minSendIntervalSeconds],
    [AUTH_ENV.codeTtlSeconds, config.codes.ttlSeconds],
    [AUTH_ENV.bridgeTrustedPools, bridge.length > 0 ? bridgeJson : undefined],
    [AUTH_ENV.bridgeMaxAgeSeconds, config.bridgeMaxAgeSeconds],
    [AUTH_ENV.emailDomainsAllow, config.emailDomains?.allow?.join(',')],
    [AUTH_ENV.emailDomainsDeny, config.emailDomains?.deny?.join(',')],
  ]
  for (const [name, value] of optional) if (value !== undefined) env[name] = String(value)
  return env
}
