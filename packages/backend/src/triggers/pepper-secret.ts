import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { ConfigError } from '../errors.js'
import { AUTH_ENV } from './env-config.js'

/** Shorter than this is not a secret worth keying the code HMAC with. */
const MIN_PEPPER_LENGTH = 16

/**
 * Reads the code pepper from Secrets Manager: the secret's string, whole. Called once per cold start,
 * so the pepper never sits in the function's configuration, where the console, `GetFunction` and the
 * CloudFormation template would show it. Every region must read the same value (a replicated secret).
 *
 * @example
 * const pepper = await readCodePepper(new SecretsManagerClient({}), 'regionless/code-pepper')
 */
export async function readCodePepper(client: SecretsManagerClient, secretId: string): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }))
  const pepper = out.SecretString
  if (typeof pepper !== 'string' || pepper.length < MIN_PEPPER_LENGTH) {
    // Names the variable, never the value.
    throw new ConfigError(
      AUTH_ENV.codePepperSecret,
      `the secret must hold a string of at least ${MIN_PEPPER_LENGTH} characters (the pepper)`,
    )
  }
  return pepper
}
