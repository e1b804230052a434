import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../src/errors.js'
import { createPasskeyApiHandler, type PasskeyApiEvent, passkeyPath } from '../src/passkeys/api-gateway.js'
import { createPasskeyServiceFromEnv } from '../src/passkeys/from-env.js'
import { createPasskeyHttpHandler } from '../src/passkeys/passkey-http.js'
import { mockPasskeyDynamo } from './helpers/passkey-dynamo.js'
import { registrationResponse } from './helpers/soft-registration.js'

const ORIGIN = 'https://app.example.com'
const USER = 'u_00000000000000000000000000000001'
const ENV = {
  AWS_REGION: 'eu-west-1',
  REGIONLESS_TABLE_NAME: 'regionless-single-use',
  REGIONLESS_PASSKEY_RP_ID: 'example.com',
  REGIONLESS_PASSKEY_RP_NAME: 'Example',
  REGIONLESS_PASSKEY_ORIGINS: ORIGIN,
}

/** The deployed handler over the DynamoDB fake, as the Lambda entry builds it. */
function api(env: Record<string, string> = ENV) {
  const fake = mockPasskeyDynamo()
  const log = vi.fn()
  const service = createPasskeyServiceFromEnv(env, { dynamo: new DynamoDBClient({ region: 'eu-west-1' }) })
  return { ...fake, log, handler: createPasskeyApiHandler(createPasskeyHttpHandler(service), log) }
}

/** An HTTP API (payload 2.0) event; `caller` is what the verifier's authorizer put in the context. */
function event(
  method: string,
  rawPath: string,
  options: { body?: unknown; caller?: Record<string, string>; stage?: string; base64?: boolean } = {},
): PasskeyApiEvent {
  const raw = options.body === undefined ? undefined : JSON.stringify(options.body)
  return {
    version: '2.0',
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: options.base64 === true,
    ...(raw !== undefined && { body: options.base64 ? Buffer.from(raw).toString('base64') : raw }),
    requestContext: {
      stage: options.stage ?? '$default',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      ...(options.caller && { authorizer: { lambda: options.caller } }),
    },
  } as unknown as PasskeyApiEvent
}

const signedIn = { caller: { username: USER, tokenUse: 'access', userPoolId: 'eu-west-1_test' } }
const json = (result: { body?: string }) => JSON.parse(result.body ?? 'null')

describe('passkey API configuration (cold start)', () => {
  it.each([
    ['REGIONLESS_PASSKEY_RP_ID', { REGIONLESS_PASSKEY_RP_ID: '' }, 'is required'],
    ['REGIONLESS_PASSKEY_RP_ID', { REGIONLESS_PASSKEY_RP_ID: '192.0.2.1' }, 'not a URL or an IP address'],
    ['REGIONLESS_PASSKEY_RP_ID', { REGIONLESS_PASSKEY_RP_ID: 'https://example.com' }, 'must be a domain'],
    ['REGIONLESS_PASSKEY_ORIGINS', { REGIONLESS_PASSKEY_ORIGINS: 'https://evil.test' }, 'not on the RP id'],
    ['REGIONLESS_PASSKEY_ORIGINS', { REGIONLESS_PASSKEY_ORIGINS: '' }, 'at least one origin'],
    ['REGIONLESS_PASSKEY_CHALLENGE_TTL_SECONDS', { REGIONLESS_PASSKEY_CHALLENGE_TTL_SECONDS: '5' }, '60 to 600'],
    ['REGIONLESS_TABLE_NAME', { REGIONLESS_TABLE_NAME: '' }, 'is required'],
    ['AWS_REGION', { AWS_REGION: '' }, 'is required'],
  ])('a bad %s is a ConfigError naming it', (variable, change, reason) => {
    let error: unknown
    try {
      createPasskeyServiceFromEnv({ ...ENV, ...change })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).setting).toBe(variable)
    expect((error as Error).message).toContain(reason)
  })

  it('takes the RP name and the challenge TTL from their variables', () => {
    const service = createPasskeyServiceFromEnv({ ...ENV, REGIONLESS_PASSKEY_CHALLENGE_TTL_SECONDS: '120' })
    expect(service.relyingParty.name).toBe('Example')
    expect(service.ttlSeconds).toBe(120)
  })
})

describe('passkey API Lambda handler', () => {
  it('serves the sign-in challenge without a token, behind a named stage too, and keeps it in the table', async () => {
    const { handler, items } = api()
    const result = await handler(event('POST', '/prod/passkeys/challenge', { stage: 'prod' }))
    expect(result.statusCode).toBe(200)
    expect(result.headers).toMatchObject({ 'content-type': 'application/json' })
    const { options } = json(result)
    expect(options).toMatchObject({ rpId: 'example.com', userVerification: 'required', allowCredentials: [] })
    expect(items.get(`challenge#${options.challenge}`)?.purpose).toEqual({ S: 'sign-in' })
  })

  it('finds the routes under a custom domain’s base path', () => {
    expect(passkeyPath(event('GET', '/auth/passkeys'))).toBe('/passkeys')
    expect(passkeyPath(event('GET', '/prod/passkeys/abc', { stage: 'prod' }))).toBe('/passkeys/abc')
    expect(passkeyPath(event('GET', '/passkeys'))).toBe('/passkeys')
  })

  it('answers 401 without a username from the authorizer, or with an ID token’s', async () => {
    const { handler, dynamo } = api()
    for (const request of [
      event('GET', '/passkeys'),
      event('POST', '/passkeys/registration-options', { body: {} }),
      event('GET', '/passkeys', { caller: { username: USER, tokenUse: 'id' } }),
      event('DELETE', '/passkeys/abc', { caller: { tokenUse: 'access' } }),
    ]) {
      const result = await handler(request)
      expect(result.statusCode).toBe(401)
      expect(json(result).error).toBe('unauthorized')
    }
    expect(dynamo.calls()).toHaveLength(0)
  })

  it('answers 400 for a malformed body, and 404 for an unknown route', async () => {
    const { handler } = api()
    const bad = await handler({ ...event('POST', '/passkeys', signedIn), body: '{not json' })
    expect(bad.statusCode).toBe(400)
    expect(json(bad).error).toBe('invalid_request')
    const list = await handler({ ...event('POST', '/passkeys/registration-options', signedIn), body: '[1]' })
    expect(list.statusCode).toBe(400)
    const noResponse = await handler(event('POST', '/passkeys', { ...signedIn, body: { response: 'x' } }))
    expect(json(noResponse).error).toBe('invalid_request')
    const unknown = await handler(event('GET', '/elsewhere', signedIn))
    expect(unknown.statusCode).toBe(404)
  })

  it('answers 503 try_again when the table fails, logging the error’s name only', async () => {
    const { handler, dynamo, log } = api()
    dynamo.on(GetItemCommand).rejects(Object.assign(new Error('secret detail'), { name: 'InternalServerError' }))
    const result = await handler(event('GET', '/passkeys', signedIn))
    expect(result.statusCode).toBe(503)
    expect(json(result).error).toBe('try_again')
    expect(log).toHaveBeenCalledWith({
      level: 'error',
      event: 'passkeys.failed',
      route: 'GET /passkeys',
      error: 'InternalServerError',
    })
    expect(JSON.stringify(log.mock.calls)).not.toContain('secret detail')
  })

  it('registers, lists, renames and deletes a passkey in the DynamoDB store', async () => {
    const { handler, items, dynamo } = api()
    const opened = await handler(
      event('POST', '/passkeys/registration-options', { ...signedIn, body: { displayName: 'ana@example.com' } }),
    )
    expect(opened.statusCode).toBe(200)
    const { options } = json(opened)
    expect(options).toMatchObject({ rp: { id: 'example.com', name: 'Example' }, excludeCredentials: [] })
    expect(Buffer.from(options.user.id, 'base64url').toString('utf8')).toBe(USER)

    // A base64 body, as API Gateway sends some.
    const response = registrationResponse(options, ORIGIN)
    const created = await handler(
      event('POST', '/passkeys', { ...signedIn, body: { response, name: 'Laptop' }, base64: true }),
    )
    expect(created.statusCode).toBe(201)
    expect(json(created).passkey).toMatchObject({ id: response.id, name: 'Laptop', registeredRegion: 'eu-west-1' })
    expect(items.get(`passkey#${USER}`)?.[`cred#${response.id}`]?.M?.publicKey?.S).toBeTruthy()
    expect(items.has(`webauthn#${options.challenge}`)).toBe(true)

    // The same response again: its challenge is spent.
    const again = await handler(event('POST', '/passkeys', { ...signedIn, body: { response } }))
    expect(again.statusCode).toBe(400)
    expect(json(again).error).toBe('challenge_expired')

    const listed = await handler(event('GET', '/passkeys', signedIn))
    expect(json(listed).passkeys.map((p: { id: string }) => p.id)).toEqual([response.id])
    // Another user sees none of them, and cannot rename or delete them.
    const other = { caller: { username: 'u_00000000000000000000000000000002', tokenUse: 'access' } }
    expect(json(await handler(event('GET', '/passkeys', other))).passkeys).toEqual([])
    expect((await handler(event('DELETE', `/passkeys/${response.id}`, other))).statusCode).toBe(404)

    const renamed = await handler(event('PUT', `/passkeys/${response.id}`, { ...signedIn, body: { name: ' Phone ' } }))
    expect(renamed.statusCode).toBe(200)
    expect(json(renamed).passkey.name).toBe('Phone')
    const blank = await handler(event('PUT', `/passkeys/${response.id}`, { ...signedIn, body: { name: ' ' } }))
    expect(blank.statusCode).toBe(400)

    const deleted = await handler(event('DELETE', `/passkeys/${response.id}`, signedIn))
    expect(deleted.statusCode).toBe(204)
    expect(deleted.body).toBeUndefined()
    expect(json(await handler(event('GET', '/passkeys', signedIn))).passkeys).toEqual([])
    expect((await handler(event('DELETE', `/passkeys/${response.id}`, signedIn))).statusCode).toBe(404)

    // Every write went to the keys the deploy app's IAM allows the function (passkey#, challenge#, webauthn#).
    const keys = [
      ...dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.pk?.S),
      ...dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.Key?.pk?.S),
      ...dynamo.commandCalls(GetItemCommand).map((c) => c.args[0].input.Key?.pk?.S),
    ]
    expect(keys.every((k) => /^(passkey|challenge|webauthn)#/.test(String(k)))).toBe(true)
  })
})
