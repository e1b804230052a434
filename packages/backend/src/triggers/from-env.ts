import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { KMSClient } from '@aws-sdk/client-kms'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { SESv2Client } from '@aws-sdk/client-sesv2'
import { createSesEmailSender } from '../email/email-sender.js'
import { ConfigError } from '../errors.js'
import { createKmsLinkSigner, createKmsLinkVerifier } from '../links/kms-link-keys.js'
import { createDynamoPasskeyStore } from '../passkeys/dynamo-passkey-store.js'
import { createDynamoBudgetStore } from '../stores/dynamo-budget-store.js'
import { createDynamoSingleUseStore } from '../stores/dynamo-stores.js'
import { type AuthTriggers, createAuthTriggers } from './auth-triggers.js'
import { AUTH_ENV, parseAuthEnv } from './env-config.js'
import type { AuthTriggerOptions, TriggerLogEntry } from './options.js'
import { readCodePepper } from './pepper-secret.js'
import { triggerSettingOptions } from './setting-options.js'

/** AWS clients to use instead of default ones (tests pass mocked clients; the region comes from `AWS_REGION`). */
export interface AwsClients {
  ses?: SESv2Client
  kms?: KMSClient
  dynamo?: DynamoDBClient
  secrets?: SecretsManagerClient
}

function logToConsole(entry: TriggerLogEntry): void {
  // One JSON line per decision: searchable in CloudWatch, and never a code, token or address.
  console.info(JSON.stringify({ regionless: entry }))
}

/**
 * The triggers as deployed to Lambda: configuration from environment
 * variables (see `AUTH_ENV`), email through SES v2, links signed by KMS and
 * verified with its cached public key, single use and budgets in one
 * DynamoDB table. Call it once at module load (cold start).
 *
 * @example
 * // lambda entry
 * const triggers = createAuthTriggersFromEnv(process.env)
 * export const handler = triggers.createAuthChallenge
 */
export function createAuthTriggersFromEnv(
  env: Record<string, string | undefined>,
  clients: AwsClients = {},
  extra: Pick<AuthTriggerOptions, 'templates' | 'log' | 'now'> = {},
): AuthTriggers {
  const config = parseAuthEnv(env)
  const kms = clients.kms ?? new KMSClient({})
  const dynamo = clients.dynamo ?? new DynamoDBClient({})
  const table = { client: dynamo, tableName: config.tableName }
  const { passkeys: relyingParty, ...settings } = triggerSettingOptions(config)
  // Lambda sets AWS_REGION; the budgets write only this region's items of the global table.
  const region = env.AWS_REGION
  if (!region) throw new ConfigError('AWS_REGION', 'is required and not set')
  return createAuthTriggers({
    ...settings,
    email: createSesEmailSender({
      client: clients.ses ?? new SESv2Client({}),
      from: config.emailFrom,
      configurationSetName: config.sesConfigurationSet,
    }),
    links: {
      ...settings.links,
      signer: createKmsLinkSigner({ client: kms, keyId: config.linkKmsKeyId }),
      verifier:
        config.linkPublicKey === undefined
          ? createKmsLinkVerifier({ client: kms, keyId: config.linkKmsKeyId })
          : createKmsLinkVerifier({ publicKey: config.linkPublicKey }),
      store: createDynamoSingleUseStore(table),
    },
    ...(relyingParty && { passkeys: { ...relyingParty, store: createDynamoPasskeyStore(table) } }),
    budgets: createDynamoBudgetStore({ ...table, region, regions: config.tableRegions ?? [region] }),
    log: extra.log ?? logToConsole,
    ...(extra.templates === undefined ? {} : { templates: extra.templates }),
    ...(extra.now === undefined ? {} : { now: extra.now }),
  })
}

/**
 * {@link createAuthTriggersFromEnv}, with the code pepper read from Secrets Manager first when
 * `REGIONLESS_CODE_PEPPER_SECRET` names a secret (what the deploy app sets). A bad variable throws
 * at once, as the synchronous version does; the secret is read once, and the promise rejects with a
 * ConfigError naming the variable when it holds no usable pepper.
 *
 * @example
 * // lambda entry: started at cold start, awaited by every invocation
 * const ready = loadAuthTriggersFromEnv(process.env)
 * export const handler = async (event) => (await ready).createAuthChallenge(event)
 */
export function loadAuthTriggersFromEnv(
  env: Record<string, string | undefined>,
  clients: AwsClients = {},
  extra: Pick<AuthTriggerOptions, 'templates' | 'log' | 'now'> = {},
): Promise<AuthTriggers> {
  const config = parseAuthEnv(env)
  if (config.codePepperSecret === undefined) return Promise.resolve(createAuthTriggersFromEnv(env, clients, extra))
  if (config.codePepper !== undefined) {
    throw new ConfigError(AUTH_ENV.codePepperSecret, `set it or ${AUTH_ENV.codePepper}, not both`)
  }
  const secretId = config.codePepperSecret
  return (async () => {
    const pepper = await readCodePepper(clients.secrets ?? new SecretsManagerClient({}), secretId)
    return createAuthTriggersFromEnv({ ...env, [AUTH_ENV.codePepper]: pepper }, clients, extra)
  })()
}
