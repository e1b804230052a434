import { ConfigError } from '@regionless/backend'
import { isSchemaAttribute } from '../store/user-store.js'

/** Cognito's `SignInPolicy.AllowedFirstAuthFactors` values. */
export type FirstAuthFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN'
const FIRST_AUTH_FACTORS: readonly FirstAuthFactor[] = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']

/** The `client` section of the config file: the app client, the same in every region. */
export interface AppClientConfigFile {
  authSessionValidityMinutes?: number
  preventUserExistenceErrors?: boolean
  accessTokenValiditySeconds?: number
  idTokenValiditySeconds?: number
  refreshTokenValidityDays?: number
  /**
   * Cognito's `RefreshTokenRotationType`. `ENABLED`: GetTokensFromRefreshToken answers with a new
   * refresh token and the old one stays valid for `retryGracePeriodSeconds` (0 to 60, default 0);
   * InitiateAuth's REFRESH_TOKEN_AUTH is refused. Default `DISABLED`.
   */
  refreshTokenRotation?: { feature: 'ENABLED' | 'DISABLED'; retryGracePeriodSeconds?: number }
  /** Attributes GetUser returns. Default: Cognito's (every standard attribute, the `*_verified` flags; no custom ones). */
  readAttributes?: string[]
  /** Attributes SignUp and UpdateUserAttributes may set. Default `["email"]`, as the CDK construct deploys. */
  writeAttributes?: string[]
}

/** The `pool` section of the config file: the user pool's own settings. */
export interface PoolConfigFile {
  /** Cognito's `SignInPolicy.AllowedFirstAuthFactors`. Default `["PASSWORD"]`, as the CDK construct deploys. */
  allowedFirstAuthFactors?: FirstAuthFactor[]
  /**
   * Cognito's `AliasAttributes`: `["email"]` lets a verified email stand for the username. Default `[]`,
   * as the CDK construct deploys (an alias answers differently for known and unknown emails).
   */
  aliasAttributes?: 'email'[]
  /**
   * Cognito's `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`: with `["email"]`
   * (the default, as deployed) a user's new email stays pending, the verified one active, until verified.
   */
  attributesRequireVerificationBeforeUpdate?: 'email'[]
}

export interface ResolvedAppClient {
  authSessionValidityMinutes: number
  preventUserExistenceErrors: boolean
  accessTokenValiditySeconds: number
  idTokenValiditySeconds: number
  refreshTokenValidityDays: number
  refreshTokenRotation: { enabled: boolean; retryGracePeriodSeconds: number }
  /** `undefined`: Cognito's default read set. */
  readAttributes: string[] | undefined
  writeAttributes: string[]
}

export interface ResolvedPoolPolicy {
  allowedFirstAuthFactors: FirstAuthFactor[]
  emailAlias: boolean
  keepOriginalEmail: boolean
}

/** The deployed app client (packages/backend/src/cdk/user-pool.ts) lets users change their email only. */
export const DEFAULT_WRITE_ATTRIBUTES = ['email']

export function numberIn(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a number from ${min} to ${max}`)
  }
  return value
}

function objectOrEmpty(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(name, 'must be an object')
  }
  return value as Record<string, unknown>
}

function attributeNames(value: unknown, name: string, writable: boolean): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) throw new ConfigError(name, 'must be an array of attribute names')
  for (const item of value) {
    if (typeof item !== 'string' || !(isSchemaAttribute(item) || (!writable && item === 'sub'))) {
      throw new ConfigError(name, `not an attribute of the pool: ${String(item)}`)
    }
  }
  return [...new Set(value as string[])]
}

function rotation(value: unknown): ResolvedAppClient['refreshTokenRotation'] {
  const name = 'client.refreshTokenRotation'
  const given = objectOrEmpty(value, name)
  const feature = given.feature ?? 'DISABLED'
  if (feature !== 'ENABLED' && feature !== 'DISABLED') {
    throw new ConfigError(`${name}.feature`, 'must be "ENABLED" or "DISABLED"')
  }
  const grace = given.retryGracePeriodSeconds
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > 60)) {
    throw new ConfigError(`${name}.retryGracePeriodSeconds`, 'must be an integer from 0 to 60')
  }
  return { enabled: feature === 'ENABLED', retryGracePeriodSeconds: (grace as number | undefined) ?? 0 }
}

/** Checks the `client` section and fills Cognito's (or the deployed app's) defaults, naming the field at fault. */
export function resolveAppClient(value: unknown): ResolvedAppClient {
  const client = objectOrEmpty(value, 'client')
  const preventErrors = client.preventUserExistenceErrors
  if (preventErrors !== undefined && typeof preventErrors !== 'boolean') {
    throw new ConfigError('client.preventUserExistenceErrors', 'must be true or false')
  }
  const validity = (key: string, fallback: number, min: number, max: number) =>
    numberIn(client[key], `client.${key}`, fallback, min, max)
  return {
    authSessionValidityMinutes: validity('authSessionValidityMinutes', 3, 3, 15),
    preventUserExistenceErrors: preventErrors ?? true,
    accessTokenValiditySeconds: validity('accessTokenValiditySeconds', 3600, 300, 86_400),
    idTokenValiditySeconds: validity('idTokenValiditySeconds', 3600, 300, 86_400),
    refreshTokenValidityDays: validity('refreshTokenValidityDays', 30, 1, 3650),
    refreshTokenRotation: rotation(client.refreshTokenRotation),
    readAttributes: attributeNames(client.readAttributes, 'client.readAttributes', false),
    writeAttributes: attributeNames(client.writeAttributes, 'client.writeAttributes', true) ?? [
      ...DEFAULT_WRITE_ATTRIBUTES,
    ],
  }
}

/** Checks the `pool` section; Cognito only accepts sign-in policies that keep passwords. */
export function resolvePoolPolicy(value: unknown): ResolvedPoolPolicy {
  const pool = objectOrEmpty(value, 'pool')
  return {
    allowedFirstAuthFactors: firstAuthFactors(pool.allowedFirstAuthFactors),
    emailAlias: emailOnly(pool.aliasAttributes, 'pool.aliasAttributes', []),
    keepOriginalEmail: emailOnly(
      pool.attributesRequireVerificationBeforeUpdate,
      'pool.attributesRequireVerificationBeforeUpdate',
      ['email'],
    ),
  }
}

/** `[]` or `["email"]`, the only values the emulator models; true for `["email"]`. */
function emailOnly(value: unknown, name: string, fallback: string[]): boolean {
  const list = value ?? fallback
  if (!Array.isArray(list) || list.some((item) => item !== 'email')) {
    throw new ConfigError(name, 'must be [] or ["email"]')
  }
  return list.length > 0
}

function firstAuthFactors(factors: unknown): FirstAuthFactor[] {
  if (factors === undefined) return ['PASSWORD']
  const name = 'pool.allowedFirstAuthFactors'
  if (!Array.isArray(factors) || factors.length === 0) throw new ConfigError(name, 'must be a non-empty array')
  for (const factor of factors) {
    if (!FIRST_AUTH_FACTORS.includes(factor)) {
      throw new ConfigError(name, `must hold only ${FIRST_AUTH_FACTORS.join(', ')}; got ${String(factor)}`)
    }
  }
  if (!factors.includes('PASSWORD')) throw new ConfigError(name, 'must include PASSWORD')
  return [...new Set(factors as FirstAuthFactor[])]
}
