// The deployment settings: one JSON file (or CDK context) describes every region,
// and this module checks it once, before any construct is built, so a typo fails
// `cdk synth` with the setting's name instead of failing a deploy half-way. The sign-in and replication
// settings (names, ranges, defaults) come from the settings tables; the rest is checked here.

import { ConfigError } from '../errors.js'
import { resolveRelyingParty } from '../passkeys/relying-party.js'
import { APP_CLIENT_SETTINGS } from '../settings/app-client-settings.js'
import { readConfigSettings } from '../settings/config-file.js'
import { emailAddressOf } from '../settings/email-address.js'
import { setPath } from '../settings/paths.js'
import { REPLICATION_SETTINGS } from '../settings/replication-settings.js'
import { TRIGGER_SETTINGS } from '../settings/trigger-settings.js'

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
  codes: {
    length?: number
    maxAttempts?: number
    minSendIntervalSeconds?: number
    sendBudget?: number
    sendBudgetWindowSeconds?: number
    maxWrongCodes?: number
    lockoutWindowSeconds?: number
    ttlSeconds?: number
    /** Secrets Manager secret (name or ARN, `{region}` replaced) holding the code pepper. */
    pepperSecret?: string
  }
  emailDomains?: { allow?: string[]; deny?: string[] }
  bridgeMaxAgeSeconds?: number
  /** Passkeys: on when `rpId` is set (`TRIGGER_SETTINGS.passkey*`). */
  passkeys?: { rpId?: string; rpName?: string; origins?: string[]; challengeTtlSeconds?: number }
  tokens: {
    idTokenMinutes: number
    accessTokenMinutes: number
    refreshTokenDays: number
    authSessionMinutes: number
    /** App client refresh-token rotation (`APP_CLIENT_SETTINGS`); off by default. */
    refreshTokenRotation: boolean
    /** How long a rotated refresh token stays valid, 0–60 s (with rotation only). */
    refreshTokenRotationGraceSeconds: number
  }
  featurePlan: 'lite' | 'essentials' | 'plus'
  /**
   * Keep an email sign-in alias on the pools (default false). Only for pools deployed before the
   * alias was dropped: Cognito cannot remove it in place. It tells a known email from an unknown one
   * to anyone who calls Cognito with an email (docs/security.md).
   */
  emailSignInAlias: boolean
  /** JSON written by `regionless-verifier snapshot`, relative to the config file. Needed for the bridge and the HTTP API. */
  jwksSnapshotPath?: string
  replication: {
    enabled: boolean
    maxReceiveCount: number
    /** EventBridge schedule expression of the reconciliation job. */
    reconcileSchedule: string
    // The three reconcile settings are also Lambda variables: unset here, the handler's default applies.
    /** Reconcile's share of the ListUsers quota per region (requests per second), split over its shards in flight. */
    reconcileListUsersRps?: number
    /** Reconcile's share of each region's write quotas for repairs (repairs per second). */
    reconcileRepairRps?: number
    /** Shards reconciled at once (the Step Functions map's concurrency). */
    reconcileShardConcurrency?: number
    /** Also reconcile usernames without the stable `u_…` shape (one extra pass over each pool). */
    reconcileOtherUsernames?: boolean
    /** The scheduled reconciliation's choice for a user missing somewhere with no tombstone (default `report`). */
    reconcileMissing?: 'create' | 'report'
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

/** Thrown for a bad setting; the message starts with the setting's path, which `setting` holds. */
export class DeployConfigError extends ConfigError {
  override readonly name: string = 'DeployConfigError'
}

type Raw = Record<string, unknown>

// A secret's name (letters, digits and /_+=.@-), or its ARN, where `{region}` stands for each region.
const SECRET_ID =
  /^(?:[A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:(?:[a-z0-9-]+|\{region\}):\d{12}:secret:[A-Za-z0-9/_+=.@-]+)$/

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

function flag(value: unknown, setting: string, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new DeployConfigError(setting, 'must be true or false')
  return value
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
  const tokens = object(c.tokens, 'tokens')
  const api = object(c.api, 'api')
  const tuned = tableSettings(c)
  const pepperSecret = tuned.codes?.pepperSecret
  if (pepperSecret !== undefined && !SECRET_ID.test(pepperSecret)) {
    throw new DeployConfigError(
      'codes.pepperSecret',
      'must be a Secrets Manager secret name or ARN (arn:aws:secretsmanager:{region}:…:secret:…); never the pepper itself',
    )
  }
  const jwksSnapshotPath = optStr(c.jwksSnapshotPath, 'jwksSnapshotPath')
  const alarmTopicArn = optStr(c.alarmTopicArn, 'alarmTopicArn')
  const featurePlan = oneOf(c.featurePlan, 'featurePlan', ['lite', 'essentials', 'plus'] as const, 'essentials')
  if (topology === 'replicas' && featurePlan === 'lite') {
    throw new DeployConfigError('featurePlan', 'multi-Region replication needs the essentials or plus plan')
  }
  checkRelyingParty(tuned.passkeys)
  const from = tuned.email.from
  return {
    name,
    topology,
    regions,
    primaryRegion,
    ...(account === undefined ? {} : { account }),
    ...(linkKeyArn === undefined ? {} : { linkKeyArn }),
    codes: {},
    // links, codes, emailDomains, bridgeMaxAgeSeconds, replication, the sender and token rotation: the tables' keys.
    ...tuned,
    email: {
      ...tuned.email,
      identity: str(email.identity, 'email.identity', emailAddressOf(from)?.split('@')[1]),
      createIdentity: email.createIdentity === undefined ? true : email.createIdentity === true,
    },
    tokens: {
      ...tuned.tokens,
      idTokenMinutes: int(tokens.idTokenMinutes, 'tokens.idTokenMinutes', 5, 1440, 60),
      accessTokenMinutes: int(tokens.accessTokenMinutes, 'tokens.accessTokenMinutes', 5, 1440, 60),
      refreshTokenDays: int(tokens.refreshTokenDays, 'tokens.refreshTokenDays', 1, 3650, 30),
      authSessionMinutes: int(tokens.authSessionMinutes, 'tokens.authSessionMinutes', 3, 15, 3),
    },
    featurePlan,
    emailSignInAlias: flag(c.emailSignInAlias, 'emailSignInAlias', false),
    ...(jwksSnapshotPath === undefined ? {} : { jwksSnapshotPath }),
    api: {
      tokenUse: oneOf(api.tokenUse, 'api.tokenUse', ['access', 'id', 'any'] as const, 'access'),
      corsOrigins: strings(api.corsOrigins, 'api.corsOrigins', []),
    },
    removalPolicy: oneOf(c.removalPolicy, 'removalPolicy', ['retain', 'destroy'] as const, 'retain'),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
  }
}

/** Passkeys' relying party, checked at synth as the Lambda functions check it at cold start. */
function checkRelyingParty(passkeys: DeployConfig['passkeys']): void {
  if (passkeys?.rpId === undefined) return
  try {
    resolveRelyingParty({ rpId: passkeys.rpId, origins: passkeys.origins ?? [] }, '')
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    throw new DeployConfigError(message.startsWith('rpId') ? 'passkeys.rpId' : 'passkeys.origins', message)
  }
}

/** The deploy config's part the settings tables describe, checked, at the tables' `deploy` paths. */
type TableSettings = Pick<
  DeployConfig,
  'email' | 'links' | 'codes' | 'emailDomains' | 'bridgeMaxAgeSeconds' | 'passkeys' | 'replication'
>

function tableSettings(c: Raw): Omit<TableSettings, 'email' | 'codes'> & {
  email: Pick<DeployConfig['email'], 'from' | 'configurationSet'>
  codes?: DeployConfig['codes']
  tokens: Pick<DeployConfig['tokens'], 'refreshTokenRotation' | 'refreshTokenRotationGraceSeconds'>
} {
  const fail = (setting: string, problem: string) => new DeployConfigError(setting, problem)
  const tuned: Raw = {}
  for (const table of [APP_CLIENT_SETTINGS, TRIGGER_SETTINGS, REPLICATION_SETTINGS] as const) {
    const values = readConfigSettings(table, c, 'deploy', fail) as Record<string, unknown>
    for (const [key, value] of Object.entries(values)) {
      setPath(tuned, (table as Record<string, { deploy?: string }>)[key]?.deploy as string, value)
    }
  }
  return tuned as ReturnType<typeof tableSettings>
}
