import { ConfigError } from '@regionless/backend'
import { QUOTA_CATEGORIES, type QuotaSettings } from '../store/quotas.js'
import { numberIn } from './app-client-config.js'

/**
 * Checks the config file's `quotas`: one requests-per-second figure per Cognito category
 * (`QUOTA_CATEGORIES`), 0.1 to 10 000; a category left out is unlimited. An unknown key is refused,
 * since a misspelt one would silently leave the quota off.
 */
export function resolveQuotas(value: unknown): QuotaSettings {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('quotas', 'must be an object')
  }
  const known = new Set(QUOTA_CATEGORIES.map((c) => c.configKey))
  for (const key of Object.keys(value)) {
    if (!known.has(key as never)) {
      throw new ConfigError(`quotas.${key}`, `not a quota; the quotas are ${[...known].join(', ')}`)
    }
  }
  const given = value as Record<string, unknown>
  const out: QuotaSettings = {}
  for (const { configKey, awsDefaultRps } of QUOTA_CATEGORIES) {
    if (given[configKey] === undefined) continue
    out[configKey] = numberIn(given[configKey], `quotas.${configKey}`, awsDefaultRps, 0.1, 10_000)
  }
  return out
}
