import type { SettingsTable } from './setting.js'

/**
 * Every setting of the app client the construct creates, once: the deploy-config key, range, default
 * and doc line. No Lambda reads them, so they have no variable; the construct applies them.
 */
export const APP_CLIENT_SETTINGS = {
  refreshTokenRotation: {
    kind: 'bool',
    deploy: 'tokens.refreshTokenRotation',
    default: false,
    doc: 'refresh-token rotation on the app client: each refresh answers a new refresh token and retires the one sent; only `GetTokensFromRefreshToken` refreshes then ([trade-off](#refresh-token-rotation))',
  },
  refreshTokenRotationGraceSeconds: {
    kind: 'int',
    deploy: 'tokens.refreshTokenRotationGraceSeconds',
    needs: 'refreshTokenRotation',
    min: 0,
    max: 60,
    default: 30,
    doc: 'with rotation: seconds a rotated refresh token still works, so a refresh whose answer was lost can be retried',
  },
} as const satisfies SettingsTable

export type AppClientSettingKey = keyof typeof APP_CLIENT_SETTINGS
