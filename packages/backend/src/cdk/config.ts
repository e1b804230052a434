// The deployment settings: one JSON file (or CDK context) describes every region,
// and this module checks it once, before any construct is built, so a typo fails
// `cdk synth` with the setting's name instead of failing a deploy half-way.

/** One region of the deployment, as written in the config file. */
export interface DeployRegion {
  region: string
  /** Known after the first deploy (stack output `UserPoolId`): lets the other regions trust this pool. */
  userPoolId?: string
  /** Known after the first deploy (stack output `ClientId`). */
  clientId?: string
  /** Known after the first deploy (stack output `ApiUrl`): goes into the front-end config output. */
  apiUrl?: string
}

/** Everything `RegionlessAuth` and the ready app read. See docs/deploy.md for each setting. */
export interface DeployConfig {
  /** Prefix of every physical name (table, alarms, exports). Lower-case letters, digits and dashes. */
  name: string
  topology: 'pools' | 'replicas'
  regions: DeployRegion[]
  /** Home of the global stack (table, primary KMS key) and, for replicas, of the primary pool. Default: first region. */
  primaryRegion: string
  account?: string
  /** ARN of the multi-region primary signing key (global stack output `LinkKeyArn`). Regional stacks need it. */
  linkKeyArn?: string
  email: { from: string; identity: string; configurationSet?: string; createIdentity: boolean }
  links: { audience: string; redirectAllowList: string[]; ttlSeconds?: number }
  codes: { length?: number; maxAttempts?: number; minSendIntervalSeconds?: number; ttlSeconds?: number }
  emailDomains?: { allow?: string[]; deny?: string[] }
  bridgeMaxAgeSeconds?: number
  tokens: { idTokenMinutes: number; accessTokenMinutes: number; refreshTokenDays: number; authSessionMinutes: number }
  featurePlan: 'lite' | 'essentials' | 'plus'
  /** JSON written by `regionless-verifier snapshot`, relative to the config file. Needed for the bridge and the HTTP API. */
  jwksSnapshotPath?: string
  replication: {
    enabled: boolean
    maxReceiveCount: number
    /** EventBridge schedule expression of the reconciliation job. */
    reconcileSchedule: string
    /** Alarm when the worst replication lag over 5 minutes exceeds this. */
    lagAlarmMs: number
    /**
     * Reserved concurrency of the lifecycle function. 1 handles one change at a time, in order, which
     * narrows the races of two writers on one copy (docs/replication.md); unset leaves it unreserved,
     * because new accounts often have no concurrency to reserve.
     */
    lifecycleConcurrency?: number
  }
  api: { tokenUse: 'access' | 'id' | 'any'; corsOrigins: string[] }
  /** `destroy` deletes pools and the table with the stacks (test deployments); `retain` (default) keeps them. */
  removalPolicy: 'retain' | 'destroy'
  /** ARN of an SNS topic per region (`{region}` is replaced) that alarms notify. */
  alarmTopicArn?: string
}

/** Thrown for a bad setting; the message starts with the setting's path. */
export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError'
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`)
  }
}

type Raw = Record<string, unknown>

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/
const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/

function object(value: unknown, setting: string): Raw {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeployConfigError(setting, 'must be an object')
  }
  return value as Raw
}

function str(value: unknown, setting: string, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== 'string' || value.trim() === '')
    throw new DeployConfigError(setting, 'must be a non-empty string')
  return value.trim()
}

function optStr(value: unknown, setting: string): string | undefined {
  return value === undefined ? undefined : str(value, setting)
}

function int(value: unknown, setting: string, min: number, max: number, fallback: number): number
function int(value: unknown, setting: string, min: number, max: number): number | undefined
function int(value: unknown, setting: string, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DeployConfigError(setting, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return value
}

function strings(value: unknown, setting: string, fallback?: string[]): string[] {
  if (value === undefined && fallback !== undefined) return fallback
  if (!Array.isArray(value) || value.length === 0) throw new DeployConfigError(setting, 'must be a non-empty array')
  return value.map((item, i) => str(item, `${setting}[${i}]`))
}

function oneOf<T extends string>(value: unknown, setting: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) throw new DeployConfigError(setting, `must be one of ${allowed.join(', ')}`)
  return value as T
}

function region(raw: unknown, i: number): DeployRegion {
  const setting = `regions[${i}]`
  const r = object(raw, setting)
  const name = str(r.region, `${setting}.region`)
  if (!REGION.test(name)) throw new DeployConfigError(`${setting}.region`, `is not an AWS region: ${name}`)
  const userPoolId = optStr(r.userPoolId, `${setting}.userPoolId`)
  if (userPoolId !== undefined && !POOL_ID.test(userPoolId)) {
    throw new DeployConfigError(`${setting}.userPoolId`, `is not a user pool id: ${userPoolId}`)
  }
  const clientId = optStr(r.clientId, `${setting}.clientId`)
  const apiUrl = optStr(r.apiUrl, `${setting}.apiUrl`)
  return {
    region: name,
    ...(userPoolId === undefined ? {} : { userPoolId }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(apiUrl === undefined ? {} : { apiUrl }),
  }
}

/**
 * Checks a deployment config (parsed JSON or CDK context) and fills in the defaults.
 *
 * @example
 * const config = parseDeployConfig(JSON.parse(readFileSync('regionless.config.json', 'utf8')))
 * // throws DeployConfigError('links.audience: must be a non-empty string') when it is missing
 */
export function parseDeployConfig(input: unknown): DeployConfig {
  const c = object(input, 'config')
  const name = str(c.name, 'name', 'regionless')
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new DeployConfigError('name', 'must be 1–31 of a-z, 0-9 and -')
  const topology = oneOf(c.topology, 'topology', ['pools', 'replicas'] as const, 'pools')
  if (!Array.isArray(c.regions) || c.regions.length < 2) {
    throw new DeployConfigError('regions', 'must list at least two regions')
  }
  const regions = c.regions.map(region)
  const names = regions.map((r) => r.region)
  if (new Set(names).size !== names.length) throw new DeployConfigError('regions', 'lists a region twice')
  const primaryRegion = str(c.primaryRegion, 'primaryRegion', names[0])
  if (!names.includes(primaryRegion)) throw new DeployConfigError('primaryRegion', 'must be one of the regions')
  if (topology === 'replicas') {
    const ids = new Set(regions.flatMap((r) => (r.userPoolId ? [r.userPoolId] : [])))
    if (ids.size > 1) throw new DeployConfigError('regions', 'replicas share one user pool id; found several')
  }
  const account = optStr(c.account, 'account')
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new DeployConfigError('account', 'must be 12 digits')
  const linkKeyArn = optStr(c.linkKeyArn, 'linkKeyArn')
  if (linkKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/.test(linkKeyArn)) {
    throw new DeployConfigError('linkKeyArn', 'must be the ARN of a multi-region key (key/mrk-…)')
  }
  const email = object(c.email, 'email')
  const from = str(email.from, 'email.from')
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(from)) throw new DeployConfigError('email.from', 'must be an email address')
  const links = object(c.links, 'links')
  const codes = object(c.codes, 'codes')
  const tokens = object(c.tokens, 'tokens')
  const replication = object(c.replication, 'replication')
  const lifecycleConcurrency = int(replication.lifecycleConcurrency, 'replication.lifecycleConcurrency', 1, 1000)
  const api = object(c.api, 'api')
  const domains = c.emailDomains === undefined ? undefined : object(c.emailDomains, 'emailDomains')
  const configurationSet = optStr(email.configurationSet, 'email.configurationSet')
  const ttlSeconds = int(links.ttlSeconds, 'links.ttlSeconds', 60, 900)
  const bridgeMaxAgeSeconds = int(c.bridgeMaxAgeSeconds, 'bridgeMaxAgeSeconds', 10, 86_400)
  const jwksSnapshotPath = optStr(c.jwksSnapshotPath, 'jwksSnapshotPath')
  const alarmTopicArn = optStr(c.alarmTopicArn, 'alarmTopicArn')
  const featurePlan = oneOf(c.featurePlan, 'featurePlan', ['lite', 'essentials', 'plus'] as const, 'essentials')
  if (topology === 'replicas' && featurePlan === 'lite') {
    throw new DeployConfigError('featurePlan', 'multi-Region replication needs the essentials or plus plan')
  }
  const codeSettings = {
    length: int(codes.length, 'codes.length', 6, 12),
    maxAttempts: int(codes.maxAttempts, 'codes.maxAttempts', 1, 10),
    minSendIntervalSeconds: int(codes.minSendIntervalSeconds, 'codes.minSendIntervalSeconds', 0, 3600),
    ttlSeconds: int(codes.ttlSeconds, 'codes.ttlSeconds', 60, 900),
  }
  return {
    name,
    topology,
    regions,
    primaryRegion,
    ...(account === undefined ? {} : { account }),
    ...(linkKeyArn === undefined ? {} : { linkKeyArn }),
    email: {
      from,
      identity: str(email.identity, 'email.identity', from.split('@')[1]),
      ...(configurationSet === undefined ? {} : { configurationSet }),
      createIdentity: email.createIdentity === undefined ? true : email.createIdentity === true,
    },
    links: {
      audience: str(links.audience, 'links.audience'),
      redirectAllowList: strings(links.redirectAllowList, 'links.redirectAllowList'),
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
    },
    codes: Object.fromEntries(Object.entries(codeSettings).filter(([, v]) => v !== undefined)),
    ...(domains === undefined
      ? {}
      : {
          emailDomains: {
            ...(domains.allow === undefined ? {} : { allow: strings(domains.allow, 'emailDomains.allow') }),
            ...(domains.deny === undefined ? {} : { deny: strings(domains.deny, 'emailDomains.deny') }),
          },
        }),
    ...(bridgeMaxAgeSeconds === undefined ? {} : { bridgeMaxAgeSeconds }),
    tokens: {
      idTokenMinutes: int(tokens.idTokenMinutes, 'tokens.idTokenMinutes', 5, 1440, 60),
      accessTokenMinutes: int(tokens.accessTokenMinutes, 'tokens.accessTokenMinutes', 5, 1440, 60),
      refreshTokenDays: int(tokens.refreshTokenDays, 'tokens.refreshTokenDays', 1, 3650, 30),
      authSessionMinutes: int(tokens.authSessionMinutes, 'tokens.authSessionMinutes', 3, 15, 3),
    },
    featurePlan,
    ...(jwksSnapshotPath === undefined ? {} : { jwksSnapshotPath }),
    replication: {
      enabled: replication.enabled === undefined ? true : replication.enabled === true,
      maxReceiveCount: int(replication.maxReceiveCount, 'replication.maxReceiveCount', 1, 1000, 8),
      reconcileSchedule: str(replication.reconcileSchedule, 'replication.reconcileSchedule', 'rate(6 hours)'),
      lagAlarmMs: int(replication.lagAlarmMs, 'replication.lagAlarmMs', 1000, 86_400_000, 300_000),
      ...(lifecycleConcurrency === undefined ? {} : { lifecycleConcurrency }),
    },
    api: {
      tokenUse: oneOf(api.tokenUse, 'api.tokenUse', ['access', 'id', 'any'] as const, 'access'),
      corsOrigins: strings(api.corsOrigins, 'api.corsOrigins', []),
    },
    removalPolicy: oneOf(c.removalPolicy, 'removalPolicy', ['retain', 'destroy'] as const, 'retain'),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
  }
}
