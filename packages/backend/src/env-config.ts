import { type BridgePool, createBridgeSignatureCheck } from './bridge-token.js'
import { ConfigError } from './errors.js'
import { parsePublicKey } from './es256.js'
import { MAX_LINK_TTL_SECONDS } from './link-token.js'
import { createRedirectMatcher } from './redirect-allow-list.js'

/** Everything the Lambda triggers read from the environment, parsed and checked. */
export interface AuthEnvConfig {
  emailFrom: string
  sesConfigurationSet: string | undefined
  linkKmsKeyId: string
  linkPublicKey: string | undefined
  linkAudience: string
  trustedPoolIds: string[]
  redirectAllowList: string[]
  linkTtlSeconds: number | undefined
  tableName: string
  codeLength: number | undefined
  maxCodeAttempts: number | undefined
  minSendIntervalSeconds: number | undefined
  codeTtlSeconds: number | undefined
  codePepper: string | undefined
  bridgeTrustedPools: BridgePool[] | undefined
  bridgeMaxAgeSeconds: number | undefined
  emailDomainsAllow: string[] | undefined
  emailDomainsDeny: string[] | undefined
  requireStableUsername: boolean | undefined
}

/** The variables, documented in one place (the CDK construct sets them). */
export const AUTH_ENV = {
  emailFrom: 'REGIONLESS_EMAIL_FROM',
  sesConfigurationSet: 'REGIONLESS_SES_CONFIGURATION_SET',
  linkKmsKeyId: 'REGIONLESS_LINK_KMS_KEY_ID',
  linkPublicKey: 'REGIONLESS_LINK_PUBLIC_KEY',
  linkAudience: 'REGIONLESS_LINK_AUDIENCE',
  trustedPoolIds: 'REGIONLESS_TRUSTED_POOL_IDS',
  redirectAllowList: 'REGIONLESS_REDIRECT_ALLOW_LIST',
  linkTtlSeconds: 'REGIONLESS_LINK_TTL_SECONDS',
  tableName: 'REGIONLESS_TABLE_NAME',
  codeLength: 'REGIONLESS_CODE_LENGTH',
  maxCodeAttempts: 'REGIONLESS_MAX_CODE_ATTEMPTS',
  minSendIntervalSeconds: 'REGIONLESS_MIN_SEND_INTERVAL_SECONDS',
  codeTtlSeconds: 'REGIONLESS_CODE_TTL_SECONDS',
  codePepper: 'REGIONLESS_CODE_PEPPER',
  bridgeTrustedPools: 'REGIONLESS_BRIDGE_TRUSTED_POOLS',
  bridgeMaxAgeSeconds: 'REGIONLESS_BRIDGE_MAX_AGE_SECONDS',
  emailDomainsAllow: 'REGIONLESS_EMAIL_DOMAINS_ALLOW',
  emailDomainsDeny: 'REGIONLESS_EMAIL_DOMAINS_DENY',
  requireStableUsername: 'REGIONLESS_REQUIRE_STABLE_USERNAME',
} as const satisfies Record<keyof AuthEnvConfig, string>

type Env = Record<string, string | undefined>

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function required(env: Env, name: string): string {
  const value = optional(env, name)
  if (value === undefined) throw new ConfigError(name, 'is required and not set')
  return value
}

function list(env: Env, name: string, needed: boolean): string[] | undefined {
  const raw = needed ? required(env, name) : optional(env, name)
  if (raw === undefined) return undefined
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  if (items.length === 0) throw new ConfigError(name, 'must list at least one comma-separated value')
  return items
}

function int(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = optional(env, name)
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return value
}

function bool(env: Env, name: string): boolean | undefined {
  const raw = optional(env, name)
  if (raw === undefined) return undefined
  if (raw !== 'true' && raw !== 'false')
    throw new ConfigError(name, `must be true or false, got ${JSON.stringify(raw)}`)
  return raw === 'true'
}

function bridgePools(env: Env, name: string): BridgePool[] | undefined {
  const raw = optional(env, name)
  if (raw === undefined) return undefined
  let pools: unknown
  try {
    pools = JSON.parse(raw)
  } catch {
    throw new ConfigError(name, 'must be JSON: [{ "issuer", "clientIds": [], "jwks": { "keys": [] } }]')
  }
  if (!Array.isArray(pools)) throw new ConfigError(name, 'must be a JSON array of pools')
  try {
    createBridgeSignatureCheck(pools as BridgePool[])
  } catch (err) {
    throw new ConfigError(name, err instanceof Error ? err.message : 'invalid pools')
  }
  return pools as BridgePool[]
}

function checked<T>(name: string, run: () => T): T {
  try {
    return run()
  } catch (err) {
    throw new ConfigError(name, err instanceof Error ? err.message : String(err))
  }
}

/**
 * Reads and validates the triggers' configuration from environment variables,
 * all at once at cold start, so a deployment mistake fails the first
 * invocation with a {@link ConfigError} naming the variable instead of
 * misbehaving at sign-in time. Never echoes secret values.
 *
 * @example
 * const config = parseAuthEnv(process.env) // throws ConfigError('REGIONLESS_EMAIL_FROM: is required and not set')
 */
export function parseAuthEnv(env: Env): AuthEnvConfig {
  const linkPublicKey = optional(env, AUTH_ENV.linkPublicKey)
  if (linkPublicKey !== undefined) checked(AUTH_ENV.linkPublicKey, () => parsePublicKey(linkPublicKey, 'the key'))
  const redirectAllowList = list(env, AUTH_ENV.redirectAllowList, true) as string[]
  checked(AUTH_ENV.redirectAllowList, () => createRedirectMatcher(redirectAllowList))
  const emailFrom = required(env, AUTH_ENV.emailFrom)
  if (!emailFrom.includes('@')) throw new ConfigError(AUTH_ENV.emailFrom, 'must be an email address')
  return {
    emailFrom,
    sesConfigurationSet: optional(env, AUTH_ENV.sesConfigurationSet),
    linkKmsKeyId: required(env, AUTH_ENV.linkKmsKeyId),
    linkPublicKey,
    linkAudience: required(env, AUTH_ENV.linkAudience),
    trustedPoolIds: list(env, AUTH_ENV.trustedPoolIds, true) as string[],
    redirectAllowList,
    linkTtlSeconds: int(env, AUTH_ENV.linkTtlSeconds, 60, MAX_LINK_TTL_SECONDS),
    tableName: required(env, AUTH_ENV.tableName),
    codeLength: int(env, AUTH_ENV.codeLength, 6, 12),
    maxCodeAttempts: int(env, AUTH_ENV.maxCodeAttempts, 1, 10),
    minSendIntervalSeconds: int(env, AUTH_ENV.minSendIntervalSeconds, 0, 3600),
    codeTtlSeconds: int(env, AUTH_ENV.codeTtlSeconds, 60, 900),
    codePepper: optional(env, AUTH_ENV.codePepper),
    bridgeTrustedPools: bridgePools(env, AUTH_ENV.bridgeTrustedPools),
    bridgeMaxAgeSeconds: int(env, AUTH_ENV.bridgeMaxAgeSeconds, 10, 86_400),
    emailDomainsAllow: list(env, AUTH_ENV.emailDomainsAllow, false),
    emailDomainsDeny: list(env, AUTH_ENV.emailDomainsDeny, false),
    requireStableUsername: bool(env, AUTH_ENV.requireStableUsername),
  }
}
