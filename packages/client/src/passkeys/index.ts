// `@regionless/client/passkeys`: the only entry that imports WebAuthn code.
export type {
  PasskeyAutofillOptions,
  PasskeyFeatures,
  PasskeyHost,
  PasskeyPlugin,
  PasskeySignInOptions,
  PasskeySummary,
} from '../passkey-plugin.js'
export { passkeys } from './plugin.js'
export { browserSupportsPasskeyAutofill, browserSupportsPasskeys } from './webauthn.js'
