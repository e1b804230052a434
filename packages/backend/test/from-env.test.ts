import { generateKeyPairSync } from 'node:crypto'
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms'
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { ConfigError } from '../src/errors.js'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { AUTH_ENV, parseAuthEnv } from '../src/triggers/env-config.js'
import { createAuthTriggersFromEnv } from '../src/triggers/from-env.js'
import { mockDynamo, mockKms } from './helpers/aws-fakes.js'
import { createSimulator, type SimResult } from './helpers/cognito-simulator.js'
import { PEER_POOL_ID, POOL_ID, TRIGGER_ENV } from './helpers/events.js'
import { START_MS, tokenFromLink } from './helpers/harness.js'

const env = TRIGGER_ENV

/** The ConfigError `run` throws; another error, or none, fails the test. */
function configError(run: () => unknown): ConfigError {
  const err = rejectionOf(run)
  if (err instanceof ConfigError) return err
  throw err
}

describe('configuration from environment variables', () => {
  it('parses a minimal environment with defaults left to the triggers', () => {
    expect(parseAuthEnv(env)).toMatchObject({
      trustedPoolIds: [POOL_ID, PEER_POOL_ID],
      redirectAllowList: ['https://app.example.com/auth/'],
      codeLength: undefined,
      bridgeTrustedPools: undefined,
    })
  })

  it.each([
    'REGIONLESS_EMAIL_FROM',
    'REGIONLESS_LINK_KMS_KEY_ID',
    'REGIONLESS_LINK_AUDIENCE',
    'REGIONLESS_TRUSTED_POOL_IDS',
    'REGIONLESS_REDIRECT_ALLOW_LIST',
    'REGIONLESS_TABLE_NAME',
  ])('names %s when it is missing', (name) => {
    const error = configError(() => parseAuthEnv({ ...env, [name]: '  ' }))
    expect(error.variable).toBe(name)
    expect(error.message).toBe(`${name}: is required and not set`)
  })

  it.each([
    ['REGIONLESS_CODE_LENGTH', '5'],
    ['REGIONLESS_CODE_LENGTH', 'six'],
    ['REGIONLESS_MAX_CODE_ATTEMPTS', '0'],
    ['REGIONLESS_LINK_TTL_SECONDS', '3600'],
    ['REGIONLESS_MIN_SEND_INTERVAL_SECONDS', '-1'],
    ['REGIONLESS_REDIRECT_ALLOW_LIST', 'javascript:alert(1)'],
    ['REGIONLESS_TRUSTED_POOL_IDS', ' , '],
    ['REGIONLESS_BRIDGE_TRUSTED_POOLS', '{not json'],
    ['REGIONLESS_BRIDGE_TRUSTED_POOLS', '[{"issuer":"https://x"}]'],
    ['REGIONLESS_LINK_PUBLIC_KEY', 'not a key'],
    ['REGIONLESS_REQUIRE_STABLE_USERNAME', 'yes'],
    ['REGIONLESS_EMAIL_FROM', 'no-reply'],
  ])('names %s when it holds %j', (name, value) => {
    expect(configError(() => parseAuthEnv({ ...env, [name]: value })).variable).toBe(name)
  })

  it('does not echo a secret value in its errors', () => {
    const error = configError(() => parseAuthEnv({ ...env, REGIONLESS_LINK_PUBLIC_KEY: 'super-secret-value' }))
    expect(error.message).not.toContain('super-secret-value')
  })

  it('lists every variable it reads', () => {
    expect(Object.values(AUTH_ENV).every((name) => name.startsWith('REGIONLESS_'))).toBe(true)
    expect(new Set(Object.values(AUTH_ENV)).size).toBe(Object.keys(AUTH_ENV).length)
  })

  it('fails at construction, not at sign-in, when a variable is missing', () => {
    expect(() => createAuthTriggersFromEnv({ ...env, REGIONLESS_TABLE_NAME: undefined })).toThrow(
      'REGIONLESS_TABLE_NAME: is required and not set',
    )
  })
})

describe('the AWS wiring (SES, KMS, DynamoDB mocked) through the Cognito loop', () => {
  const EMAIL = 'ada@example.com'
  const users = [{ username: usernameForEmail(EMAIL), email: EMAIL }]

  function setup(extraEnv: Record<string, string> = {}) {
    const { kms } = mockKms()
    const { dynamo } = mockDynamo()
    const ses = mockClient(SESv2Client)
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    const clock = { ms: START_MS }
    const triggers = createAuthTriggersFromEnv(
      { ...env, ...extraEnv },
      {
        kms: new KMSClient({ region: 'eu-west-1' }),
        dynamo: new DynamoDBClient({ region: 'eu-west-1' }),
        ses: new SESv2Client({ region: 'eu-west-1' }),
      },
      { now: () => clock.ms, log: () => {} },
    )
    const sim = createSimulator(triggers, users)
    const sentText = (i: number) =>
      ses.commandCalls(SendEmailCommand)[i]?.args[0].input.Content?.Simple?.Body?.Text?.Data ?? ''
    return { kms, dynamo, ses, sim, clock, sentText }
  }

  async function methodThen(sim: ReturnType<typeof createSimulator>, typed: string, metadata: Record<string, string>) {
    const method = await sim.initiateAuth(typed)
    if (method.kind !== 'challenge') throw new Error('no method step')
    const step = await sim.respond(method.session, '__method', metadata)
    if (step.kind !== 'challenge') throw new Error(`no challenge: ${JSON.stringify(step)}`)
    return step
  }

  it('signs in with a code sent through SES and throttled in DynamoDB', async () => {
    const { sim, ses, dynamo, sentText } = setup({ REGIONLESS_CODE_LENGTH: '8' })
    const step = await methodThen(sim, EMAIL, { method: 'code' })
    const code = /\b(\d{8})\b/.exec(sentText(0))?.[1] ?? ''
    expect(code).toHaveLength(8)
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Destination).toEqual({ ToAddresses: [EMAIL] })
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.pk).toEqual({
      S: `budget#send#${users[0]?.username}#eu-west-1`,
    })
    const result: SimResult = await sim.respond(step.session, code, { method: 'code' })
    expect(result).toEqual({ kind: 'tokens', username: users[0]?.username })
    const again = await sim.initiateAuth(EMAIL)
    if (again.kind !== 'challenge') throw new Error('no method step')
    const limited = await sim.respond(again.session, '__method', { method: 'code' })
    expect(limited.kind === 'error' && limited.message).toMatch(/RATE_LIMITED: .*retryAfterSeconds=30/)
  })

  it('signs in with a KMS-signed link once; the public key is fetched once; jti spent in DynamoDB', async () => {
    const { sim, kms, dynamo, sentText } = setup()
    await methodThen(sim, EMAIL, { method: 'link', redirectUri: 'https://app.example.com/auth/done' })
    expect(kms.commandCalls(SignCommand)).toHaveLength(1)
    const link = /https:\/\/\S+/.exec(sentText(0))?.[0]
    const token = tokenFromLink(link)
    const redeem = async () => {
      const step = await methodThen(sim, users[0]?.username ?? '', { method: 'link', redeem: 'true' })
      return sim.respond(step.session, token, { method: 'link' })
    }
    expect(await redeem()).toEqual({ kind: 'tokens', username: users[0]?.username })
    expect(await redeem()).toMatchObject({ kind: 'error', type: 'NotAuthorizedException' })
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1)
    const keys = dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.pk?.S)
    expect(keys.filter((k) => k?.startsWith('link#'))).toHaveLength(2)
  })

  it('verifies with a configured public key without calling GetPublicKey', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' })
    const { sim, kms } = setup({ REGIONLESS_LINK_PUBLIC_KEY: String(other) })
    const step = await methodThen(sim, users[0]?.username ?? '', { method: 'link', redeem: 'true' })
    // A token KMS never signed (the configured key does not match): refused, and no KMS call at all.
    expect(await sim.respond(step.session, 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', { method: 'link' })).toMatchObject({
      kind: 'error',
    })
    expect(kms.calls()).toHaveLength(0)
  })
})
