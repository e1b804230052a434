import { envNames } from './env.js'
import { TRIGGER_SETTINGS } from './trigger-settings.js'

/**
 * The variables of the passkey API function: the triggers' rows (one name, one range, one doc line for
 * both), except that the RP id is required here, since the function exists only when passkeys are on.
 */
export const PASSKEY_API_SETTINGS = {
  tableName: TRIGGER_SETTINGS.tableName,
  passkeyRpId: { ...TRIGGER_SETTINGS.passkeyRpId, required: true },
  passkeyRpName: TRIGGER_SETTINGS.passkeyRpName,
  passkeyOrigins: TRIGGER_SETTINGS.passkeyOrigins,
  passkeyChallengeTtlSeconds: TRIGGER_SETTINGS.passkeyChallengeTtlSeconds,
} as const

export const PASSKEY_API_ENV = envNames(PASSKEY_API_SETTINGS)
