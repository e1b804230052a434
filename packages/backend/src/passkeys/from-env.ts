import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { ConfigError } from '../errors.js'
import { readEnvSettings } from '../settings/env.js'
import { PASSKEY_API_ENV, PASSKEY_API_SETTINGS } from '../settings/passkey-api-settings.js'
import { createDynamoSingleUseStore } from '../stores/dynamo-stores.js'
import { createDynamoPasskeyStore } from './dynamo-passkey-store.js'
import { createPasskeyService, type PasskeyService } from './passkey-service.js'
import { resolveRelyingParty } from './relying-party.js'

/** AWS clients to use instead of default ones (tests pass mocked ones). */
export interface PasskeyApiClients {
  dynamo?: DynamoDBClient
}

/**
 * The passkey service of the deployed passkey API: relying party, table and region from environment
 * variables, the credentials and challenges in the shared (global) table. Call it once, at cold start:
 * a missing or bad variable throws a {@link ConfigError} naming it.
 *
 * @example
 * const service = createPasskeyServiceFromEnv(process.env)
 */
export function createPasskeyServiceFromEnv(
  env: Record<string, string | undefined>,
  clients: PasskeyApiClients = {},
): PasskeyService {
  const values = readEnvSettings(env, PASSKEY_API_SETTINGS)
  const region = env.AWS_REGION?.trim()
  if (!region) throw new ConfigError('AWS_REGION', 'is required and not set')
  const relyingParty = {
    rpId: values.passkeyRpId as string,
    origins: (values.passkeyOrigins ?? []) as string[],
    ...(values.passkeyRpName !== undefined && { rpName: values.passkeyRpName as string }),
  }
  try {
    resolveRelyingParty(relyingParty, '')
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const variable = message.startsWith('rpId')
      ? PASSKEY_API_ENV.passkeyRpId
      : message.startsWith('rpName')
        ? PASSKEY_API_ENV.passkeyRpName
        : PASSKEY_API_ENV.passkeyOrigins
    throw new ConfigError(variable, message)
  }
  const table = { client: clients.dynamo ?? new DynamoDBClient({}), tableName: values.tableName as string }
  return createPasskeyService({
    passkeys: createDynamoPasskeyStore(table),
    singleUse: createDynamoSingleUseStore(table),
    relyingParty,
    region,
    ...(values.passkeyChallengeTtlSeconds !== undefined && {
      challengeTtlSeconds: values.passkeyChallengeTtlSeconds as number,
    }),
  })
}
