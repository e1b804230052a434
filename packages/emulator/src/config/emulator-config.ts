import { createHash } from 'node:crypto'
import {
  ConfigError,
  REPLICATION_SETTINGS,
  readConfigSettings,
  TRIGGER_SETTINGS,
  type TriggerSettingValues,
} from '@regionless/backend'
import type { QuotaSettings } from '../store/quotas.js'
import { DEFAULT_ALLOWED_ORIGINS, parseOrigin } from './allowed-origins.js'
import {
  type AppClientConfigFile,
  numberIn,
  type PoolConfigFile,
  type ResolvedAppClient,
  type ResolvedPoolPolicy,
  resolveAppClient,
  resolvePoolPolicy,
} from './app-client-config.js'
import { resolveQuotas } from './quota-config.js'

export { ConfigError }

export type Topology = 'pools' | 'replicas'

/**
 * How replication runs in the emulator (`replication` in the config file or in `startEmulator`).
 * Ranges and defaults: `REPLICATION_SETTINGS` of `@regionless/backend` (the table in docs/emulator.md).
 */
export interface ReplicationSettings {
  /** Per Cognito call of the Post confirmation trigger. */
  directTimeoutMs?: number
  /** Budget of the trigger's direct attempts as a whole. */
  directBudgetMs?: number
  /** Per Cognito call of the worker and of the lifecycle handler. */
  workerTimeoutMs?: number
  /** Worker back-off after a throttled receive (seconds). */
  throttleBackoff?: { baseSeconds: number; maxSeconds: number }
  /** Worker back-off after a transient failure (seconds). */
  transientBackoff?: { baseSeconds: number; maxSeconds: number }
  /** Delay before EventBridge delivers a lifecycle event. */
  lifecycleDelayMs?: number
}

/** One region in a config file; ids default to stable values derived from the region name. */
export interface RegionConfigFile {
  region: string
  userPoolId?: string
  clientId?: string
  /** The product API of that region, passed through to `/_regionless/config`. */
  apiUrl?: string
}

/**
 * The `--config FILE` JSON (also `startEmulator({ config })`). Every field is optional.
 *
 * @example
 * { "topology": "pools", "regions": [{ "region": "eu-west-1", "apiUrl": "http://127.0.0.1:4001" }],
 *   "triggers": { "redirectAllowList": ["http://127.0.0.1:*"] } }
 */
export interface EmulatorConfigFile {
  topology?: Topology
  regions?: (string | RegionConfigFile)[]
  /** App client settings, the same for every region. */
  client?: AppClientConfigFile
  /** User pool settings, the same for every region. */
  pool?: PoolConfigFile
  /** Options passed to the backend's challenge triggers (ranges and defaults: `TRIGGER_SETTINGS`, docs/emulator.md). */
  triggers?: {
    codeLength?: number
    maxCodeAttempts?: number
    minSendIntervalSeconds?: number
    sendBudget?: number
    sendBudgetWindowSeconds?: number
    maxWrongCodes?: number
    lockoutWindowSeconds?: number
    linkTtlSeconds?: number
    redirectAllowList?: string[]
    audience?: string
    bridgeMaxAgeSeconds?: number
    emailDomains?: { allow?: string[]; deny?: string[] }
    /** Passkeys, on by default for pages on `http://localhost:*` (RP id `localhost`). */
    passkeys?: { rpId?: string; rpName?: string; origins?: string[]; challengeTtlSeconds?: number }
    /** A private ES256 JWK for magic links; generated at start when absent. */
    linkKey?: Record<string, unknown>
  }
  /** Replicas topology: delay before a primary write shows in the secondary. */
  replicaLagMs?: number
  /**
   * Delay before one region sees another's write to the budgets table, as a DynamoDB global table
   * replicates (typically under a second; default 1000). The window docs/security.md describes.
   */
  globalTableLagMs?: number
  /** Replication queues: receives before a message moves to the DLQ, and the visibility timeout. */
  queues?: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number }
  /**
   * Pools topology: run the backend's replication handlers (Post confirmation
   * → replicate, the queue worker, lifecycle events). `true` for defaults.
   */
  replication?: boolean | ReplicationSettings
  /**
   * Cognito request quotas per region, requests per second; unset = unlimited. `userCreationRps` limits
   * SignUp + AdminCreateUser (AWS default 50), `userListRps` limits ListUsers (AWS default 30).
   */
  quotas?: QuotaSettings
  /**
   * Browser origins allowed to call the emulator (the control API and the region endpoints), e.g.
   * `["http://localhost:3000"]`. Requests from other origins get 403 and no CORS header, so a web page
   * cannot read the inbox or flip faults. Default: the demo app's `http://127.0.0.1:5173` and
   * `http://localhost:5173`.
   */
  allowedOrigins?: string[]
}

export interface ResolvedRegion {
  region: string
  userPoolId: string
  clientId: string
  apiUrl?: string
}

export interface ResolvedConfig {
  topology: Topology
  regions: ResolvedRegion[]
  client: ResolvedAppClient
  pool: ResolvedPoolPolicy
  /** The trigger settings by key of `TRIGGER_SETTINGS` (checked, emulator defaults applied). */
  triggers: Partial<TriggerSettingValues> &
    Pick<TriggerSettingValues, 'redirectAllowList' | 'linkAudience'> & { linkKey?: Record<string, unknown> }
  replicaLagMs: number
  globalTableLagMs: number
  queues: { maxReceiveCount: number; visibilityTimeoutSeconds: number }
  replication: Required<ReplicationSettings> | undefined
  quotas: QuotaSettings
  /** Normalised origins (`scheme://host[:port]`). */
  allowedOrigins: string[]
}

export const DEFAULT_REGIONS = ['eu-west-1', 'us-east-1']
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Stable ids, so a restarted emulator keeps the same config (handy in `.env` files). */
function stableId(seed: string, length: number, alphabet: string): string {
  const bytes = createHash('sha256').update(`regionless-emulator:${seed}`).digest()
  return Array.from(bytes.subarray(0, length), (b) => alphabet[b % alphabet.length]).join('')
}

export const defaultPoolId = (region: string) => `${region}_${stableId(`pool:${region}`, 9, ALNUM)}`
export const defaultClientId = (region: string) =>
  stableId(`client:${region}`, 26, 'abcdefghijklmnopqrstuvwxyz0123456789')

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/

const positive = (value: unknown, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  numberIn(value, name, fallback, min, max)

/**
 * Validates a config file and fills defaults; regions/topology arguments (CLI flags) win over the file.
 * A mistake throws a {@link ConfigError} that names the field.
 *
 * @example
 * resolveConfig({ client: { authSessionValidityMinutes: 5 } }, { topology: 'replicas' }).regions[0].userPoolId
 */
export function resolveConfig(
  file: EmulatorConfigFile = {},
  overrides: { regions?: string[]; topology?: Topology; allowedOrigins?: string[] } = {},
): ResolvedConfig {
  if (typeof file !== 'object' || file === null) throw new ConfigError('config', 'must be a JSON object')
  const topology = overrides.topology ?? file.topology ?? 'pools'
  if (topology !== 'pools' && topology !== 'replicas')
    throw new ConfigError('topology', 'must be "pools" or "replicas"')
  const fromFile = (file.regions ?? []).map((r) => (typeof r === 'string' ? { region: r } : r))
  const names = overrides.regions ?? (fromFile.length ? fromFile.map((r) => r.region) : DEFAULT_REGIONS)
  if (names.length < 1) throw new ConfigError('regions', 'at least one region is needed')
  if (topology === 'replicas' && names.length !== 2)
    throw new ConfigError('regions', 'replicas needs exactly two regions')
  if (new Set(names).size !== names.length) throw new ConfigError('regions', 'must be distinct')
  const primary = names[0] as string
  const regions = names.map((region): ResolvedRegion => {
    if (typeof region !== 'string' || !REGION_RE.test(region))
      throw new ConfigError('regions', `not a region name: ${region}`)
    const given = fromFile.find((r) => r.region === region) ?? { region }
    const poolRegion = topology === 'replicas' ? primary : region
    const sharedPoolId = topology === 'replicas' ? fromFile.find((r) => r.userPoolId)?.userPoolId : undefined
    const sharedClientId = topology === 'replicas' ? fromFile.find((r) => r.clientId)?.clientId : undefined
    const resolved: ResolvedRegion = {
      region,
      userPoolId: sharedPoolId ?? given.userPoolId ?? defaultPoolId(poolRegion),
      clientId: sharedClientId ?? given.clientId ?? defaultClientId(poolRegion),
    }
    if (given.apiUrl) resolved.apiUrl = given.apiUrl
    return resolved
  })
  const fail = (setting: string, problem: string) => new ConfigError(setting, problem)
  const triggers = readConfigSettings(TRIGGER_SETTINGS, file, 'emulator', fail) as ResolvedConfig['triggers']
  const linkKey = file.triggers?.linkKey
  const replication = replicationSettings(file.replication, topology)
  const { maxReceiveCount, ...tuning } = readConfigSettings(
    REPLICATION_SETTINGS,
    { ...file, replication: replication ?? {} },
    'emulator',
    fail,
  )
  return {
    topology,
    regions,
    client: resolveAppClient(file.client),
    pool: resolvePoolPolicy(file.pool),
    triggers: { ...triggers, ...(linkKey !== undefined && { linkKey }) },
    replicaLagMs: positive(file.replicaLagMs, 'replicaLagMs', 250),
    globalTableLagMs: positive(file.globalTableLagMs, 'globalTableLagMs', 1000, 0, 60_000),
    replication: replication && (tuning as Required<ReplicationSettings>),
    allowedOrigins: allowedOrigins(overrides.allowedOrigins ?? file.allowedOrigins),
    quotas: resolveQuotas(file.quotas),
    queues: {
      maxReceiveCount: maxReceiveCount as number,
      visibilityTimeoutSeconds: positive(
        file.queues?.visibilityTimeoutSeconds,
        'queues.visibilityTimeoutSeconds',
        5,
        0,
        43_200,
      ),
    },
  }
}

function allowedOrigins(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_ALLOWED_ORIGINS]
  if (!Array.isArray(value)) throw new ConfigError('allowedOrigins', 'must be an array of origins')
  return value.map((origin) => {
    const parsed = parseOrigin(origin)
    if (!parsed) {
      throw new ConfigError('allowedOrigins', `not a web origin: ${String(origin)} (e.g. http://localhost:5173)`)
    }
    return parsed
  })
}

function replicationSettings(value: unknown, topology: Topology): ReplicationSettings | undefined {
  if (value === undefined || value === false) return undefined
  if (topology !== 'pools') throw new ConfigError('replication', 'runs in the pools topology only')
  if (value === true) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('replication', 'must be true, false or an object of settings')
  }
  return value as ReplicationSettings
}
