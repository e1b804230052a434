export { createDynamoPasskeyStore } from './dynamo-passkey-store.js'
export { PasskeyApiError, type PasskeyApiErrorCode } from './passkey-api-error.js'
export {
  createPasskeyHttpHandler,
  PASSKEY_ROUTES,
  type PasskeyHttpHandler,
  type PasskeyHttpRequest,
  type PasskeyHttpResponse,
} from './passkey-http.js'
export {
  createPasskeyService,
  DEFAULT_CHALLENGE_TTL_SECONDS,
  MAX_PASSKEYS,
  type PasskeyService,
  type PasskeyServiceOptions,
} from './passkey-service.js'
export {
  type ChallengeRecord,
  createMemoryPasskeyStore,
  type MemoryPasskeyStoreOptions,
  type PasskeyStore,
  type StoredPasskey,
  type UseOutcome,
} from './passkey-store.js'
export type { PasskeySummary } from './passkey-summary.js'
export { type RelyingParty, type RelyingPartyOptions, resolveRelyingParty } from './relying-party.js'
