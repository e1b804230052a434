import { setPath } from '../settings/paths.js'
import type { Setting } from '../settings/setting.js'
import { TRIGGER_SETTINGS, type TriggerSettingKey } from '../settings/trigger-settings.js'
import type { AuthTriggerOptions } from './options.js'

/** The options of `createAuthTriggers` that settings decide: all but the I/O dependencies. */
export type TriggerSettingOptions = Omit<
  AuthTriggerOptions,
  'email' | 'budgets' | 'links' | 'templates' | 'now' | 'log' | 'passkeys'
> & {
  links: Omit<AuthTriggerOptions['links'], 'signer' | 'verifier' | 'store'>
  /** Set when `passkeyRpId` is: the relying party; the store is added by the caller. */
  passkeys?: Omit<NonNullable<AuthTriggerOptions['passkeys']>, 'store'>
}

/**
 * Puts setting values (keyed like `AuthEnvConfig`: from the environment, the emulator's config…) at
 * their option paths. Unset values stay unset, so `createAuthTriggers` applies its defaults; a setting
 * that needs another (the bridge's age needs its pools) is left out without it. Values are checked by
 * `createAuthTriggers`, not here.
 *
 * @example
 * const options = triggerSettingOptions({ codeLength: 8, linkAudience: 'app', trustedPoolIds, redirectAllowList })
 * createAuthTriggers({ ...options, links: { ...options.links, signer, verifier, store }, email, budgets })
 */
export function triggerSettingOptions(values: Partial<Record<TriggerSettingKey, unknown>>): TriggerSettingOptions {
  const options: Record<string, unknown> = { links: {} }
  for (const [key, setting] of Object.entries(TRIGGER_SETTINGS) as [TriggerSettingKey, Setting][]) {
    const value = values[key]
    if (setting.option === undefined || value === undefined) continue
    if (setting.needs !== undefined && values[setting.needs as TriggerSettingKey] === undefined) continue
    setPath(options, setting.option, value)
  }
  return options as TriggerSettingOptions
}
