import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { KMSClient } from '@aws-sdk/client-kms'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { checkCode } from '../src/email/email-code.js'
import { ConfigError } from '../src/errors.js'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { loadAuthTriggersFromEnv } from '../src/triggers/from-env.js'
import { mockDynamo, mockKms } from './helpers/aws-fakes.js'
import { createSimulator } from './helpers/cognito-simulator.js'
import { TRIGGER_ENV } from './helpers/events.js'
import { START_MS } from './helpers/harness.js'

// The code pepper comes from a Secrets Manager secret the deploy app names (REGIONLESS_CODE_PEPPER_SECRET),
// read once at cold start, so the value never sits in the function's configuration or the template.

const PEPPER = 'a-pepper-of-32-characters-or-so!'
const env = { ...TRIGGER_ENV, REGIONLESS_CODE_PEPPER_SECRET: 'regionless/code-pepper' }
const EMAIL = 'ada@example.com'

/** `null`: the secret has no string (a binary secret). */
function setup(secretString: string | null = PEPPER) {
  mockKms()
  mockDynamo()
  const ses = mockClient(SESv2Client)
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
  // Mocked per instance: each test gets its own secret.
  const client = new SecretsManagerClient({ region: 'eu-west-1' })
  const secrets = mockClient(client)
  secrets.on(GetSecretValueCommand).resolves(secretString === null ? {} : { SecretString: secretString })
  const clients = {
    kms: new KMSClient({ region: 'eu-west-1' }),
    dynamo: new DynamoDBClient({ region: 'eu-west-1' }),
    ses: new SESv2Client({ region: 'eu-west-1' }),
    secrets: client,
  }
  return { ses, secrets, clients }
}

describe('the code pepper from Secrets Manager', () => {
  it('is read once from the named secret and keys the code hash of both challenge triggers', async () => {
    const { ses, secrets, clients } = setup()
    const triggers = await loadAuthTriggersFromEnv(env, clients, { now: () => START_MS, log: () => {} })
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'regionless/code-pepper' },
    ])
    const sim = createSimulator(triggers, [{ username: usernameForEmail(EMAIL), email: EMAIL }])
    const method = await sim.initiateAuth(EMAIL)
    if (method.kind !== 'challenge') throw new Error('no method step')
    const step = await sim.respond(method.session, '__method', { method: 'code' })
    if (step.kind !== 'challenge') throw new Error('no code step')
    const text = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body?.Text?.Data ?? ''
    const code = /\b(\d{6})\b/.exec(text)?.[1] ?? ''
    const now = START_MS / 1000
    // Keyed with the secret's pepper: without it (or with another) the stored hash does not match.
    expect(checkCode(code, step.session.metadata, { now, ttlSeconds: 180, pepper: PEPPER })).toBe(true)
    expect(checkCode(code, step.session.metadata, { now, ttlSeconds: 180 })).toBe(false)
    expect(await sim.respond(step.session, code, { method: 'code' })).toMatchObject({ kind: 'tokens' })
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1)
  })

  it('refuses a secret that holds no usable pepper, naming the variable and not the value', async () => {
    for (const value of [null, 'short']) {
      const { clients } = setup(value)
      const error = await loadAuthTriggersFromEnv(env, clients).catch((err: unknown) => err)
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).variable).toBe('REGIONLESS_CODE_PEPPER_SECRET')
      expect((error as Error).message).not.toContain('short')
    }
  })

  it('refuses a pepper given twice (secret and plain variable), at once', () => {
    const { clients } = setup()
    expect(() => loadAuthTriggersFromEnv({ ...env, REGIONLESS_CODE_PEPPER: PEPPER }, clients)).toThrow(
      /^REGIONLESS_CODE_PEPPER_SECRET: set it or REGIONLESS_CODE_PEPPER, not both/,
    )
  })
})
