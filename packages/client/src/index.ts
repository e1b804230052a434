export { createApi } from './api.js'
export type { ApiDeps } from './api-fetch.js'
export type { AuthClient } from './client.js'
export { createAuthClient } from './client.js'
export type { AuthClientConfig, BreakerOptions, BridgeMode, RegionConfig, Topology } from './config.js'
export type { RegionlessErrorCode, RegionlessErrorOptions } from './errors.js'
export { codeForCognitoType, errorFromCognito, isOutageError, isRegionlessError, RegionlessError } from './errors.js'
export { normaliseEmail, usernameForEmail } from './identity.js'
export { readLinkToken } from './magic-link.js'
export type {
  PasskeyAutofillOptions,
  PasskeyFeatures,
  PasskeyHost,
  PasskeyPlugin,
  PasskeySignInOptions,
  PasskeySummary,
} from './passkey-plugin.js'
export type { HealthMap, RegionHealth } from './region-health.js'
export type { SignInOptions } from './sign-in.js'
export type { SignUpOptions, SignUpResult } from './sign-up.js'
export type { AuthEventName, AuthEvents, AuthState, AuthStatus, ChallengeState, Session, Tokens } from './state.js'
export type { StorageAdapter } from './storage.js'
export { localStorageAdapter, memoryStorage, sessionStorageAdapter } from './storage.js'
