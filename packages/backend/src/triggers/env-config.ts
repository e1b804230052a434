import { ConfigError } from '../errors.js'
import { type BridgePool, createBridgeSignatureCheck } from '../links/bridge-token.js'
import { parsePublicKey } from '../links/es256.js'
import { createRedirectMatcher } from '../links/redirect-allow-list.js'
import { resolveRelyingParty } from '../passkeys/relying-party.js'
import { envNames, readEnvSettings } from '../settings/env.js'
import { TRIGGER_SETTINGS, type TriggerSettingKey } from '../settings/trigger-settings.js'

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
  tableRegions: string[] | undefined
  codeLength: number | undefined
  maxCodeAttempts: number | undefined
  minSendIntervalSeconds: number | undefined
  sendBudget: number | undefined
  sendBudgetWindowSeconds: number | undefined
  maxWrongCodes: number | undefined
  lockoutWindowSeconds: number | undefined
  codeTtlSeconds: number | undefined
  codePepper: string | undefined
  codePepperSecret: string | undefined
  bridgeTrustedPools: BridgePool[] | undefined
  bridgeMaxAgeSeconds: number | undefined
  passkeyRpId: string | undefined
  passkeyRpName: string | undefined
  passkeyOrigins: string[] | undefined
  passkeyChallengeTtlSeconds: number | undefined
  emailDomainsAllow: string[] | undefined
  emailDomainsDeny: string[] | undefined
  requireStableUsername: boolean | undefined
}

/** The variables, by field of {@link AuthEnvConfig} (from `TRIGGER_SETTINGS`; the CDK construct sets them). */
export const AUTH_ENV = envNames(TRIGGER_SETTINGS) satisfies Record<keyof AuthEnvConfig, string>

/** Checks beyond the kind of value, by field: each throws with a reason. */
const CHECKS: { [K in keyof AuthEnvConfig]?: (value: NonNullable<AuthEnvConfig[K]>) => void } = {
  linkPublicKey: (key) => parsePublicKey(key, 'the key'),
  redirectAllowList: (list) => createRedirectMatcher(list),
  bridgeTrustedPools: (pools) => {
    if (!Array.isArray(pools)) throw new Error('must be a JSON array of pools')
    createBridgeSignatureCheck(pools)
  },
}

/**
 * Reads and validates the triggers' configuration from environment variables,
 * all at once at cold start, so a deployment mistake fails the first
 * invocation with a {@link ConfigError} naming the variable instead of
 * misbehaving at sign-in time. Never echoes secret values. Unset optional
 * variables stay undefined: the triggers' defaults apply.
 *
 * @example
 * const config = parseAuthEnv(process.env) // throws ConfigError('REGIONLESS_EMAIL_FROM: is required and not set')
 */
export function parseAuthEnv(env: Record<string, string | undefined>): AuthEnvConfig {
  const values = readEnvSettings(env, TRIGGER_SETTINGS)
  for (const [key, check] of Object.entries(CHECKS) as [keyof AuthEnvConfig, (value: unknown) => void][]) {
    const value = values[key]
    if (value === undefined) continue
    try {
      check(value)
    } catch (err) {
      throw new ConfigError(AUTH_ENV[key], err instanceof Error ? err.message : String(err))
    }
  }
  if (values.passkeyRpId !== undefined) {
    try {
      resolveRelyingParty(
        { rpId: values.passkeyRpId as string, origins: (values.passkeyOrigins ?? []) as string[] },
        '',
      )
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      throw new ConfigError(message.startsWith('rpId') ? AUTH_ENV.passkeyRpId : AUTH_ENV.passkeyOrigins, message)
    }
  }
  return Object.fromEntries(
    Object.keys(TRIGGER_SETTINGS).map((key) => [key, values[key as TriggerSettingKey]]),
  ) as unknown as AuthEnvConfig
}
