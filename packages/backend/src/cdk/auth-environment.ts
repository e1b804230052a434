import { environmentOf } from '../settings/env.js'
import { PASSKEY_API_SETTINGS } from '../settings/passkey-api-settings.js'
import { getPath } from '../settings/paths.js'
import type { Setting } from '../settings/setting.js'
import { TRIGGER_SETTINGS, type TriggerSettingKey } from '../settings/trigger-settings.js'
import { type DeployConfig, DeployConfigError, type DeployRegion } from './config.js'
import { pepperSecretId } from './pepper-secret.js'

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
 * Environment of the four challenge triggers: the deploy config's trigger settings and what the stack
 * knows (key, trusted pools, table, the bridge's peers), under the variables of `TRIGGER_SETTINGS`
 * that the Lambda entry validates at cold start.
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
  return environmentOf(TRIGGER_SETTINGS, {
    ...deployedSettings(config),
    linkKmsKeyId: options.keyArn,
    trustedPoolIds: trusted,
    tableName: options.tableName,
    // The global table has a replica in every region of the deployment: the budgets sum them all.
    tableRegions: [local.region, ...config.regions.map((r) => r.region).filter((r) => r !== local.region)],
    // The secret's name or ARN, for this region: the pepper itself is read at cold start.
    codePepperSecret: pepperSecretId(config, local.region),
    ...(bridge.length > 0 && { bridgeTrustedPools: bridge }),
  })
}

/** The trigger settings the deploy config holds, by key of `TRIGGER_SETTINGS` (read at their `deploy` paths). */
function deployedSettings(config: DeployConfig): Partial<Record<TriggerSettingKey, unknown>> {
  const values: Partial<Record<TriggerSettingKey, unknown>> = {}
  for (const [key, setting] of Object.entries(TRIGGER_SETTINGS) as [TriggerSettingKey, Setting][]) {
    if (setting.deploy !== undefined) values[key] = getPath(config, setting.deploy)
  }
  return values
}

/** Environment of the passkey API function: the relying party and the shared table, nothing else. */
export function passkeyEnvironment(config: DeployConfig, tableName: string): Record<string, string> {
  const passkeys = config.passkeys ?? {}
  return environmentOf(PASSKEY_API_SETTINGS, {
    tableName,
    passkeyRpId: passkeys.rpId,
    passkeyRpName: passkeys.rpName,
    passkeyOrigins: passkeys.origins,
    passkeyChallengeTtlSeconds: passkeys.challengeTtlSeconds,
  })
}
