// Lambda entry of the passkey API (each region's HTTP API routes `/passkeys…` here; bundled by the deploy
// app, not part of the package's index). The configuration is read and checked at cold start: a missing
// or bad variable fails every invocation with a ConfigError naming it.
import { createPasskeyApiHandler } from '../passkeys/api-gateway.js'
import { createPasskeyServiceFromEnv } from '../passkeys/from-env.js'
import { createPasskeyHttpHandler } from '../passkeys/passkey-http.js'

export const handler = createPasskeyApiHandler(createPasskeyHttpHandler(createPasskeyServiceFromEnv(process.env)))
