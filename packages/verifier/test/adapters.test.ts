import type { AddressInfo } from 'node:net'
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import {
  createHttpApiAuthorizer,
  createRestRequestAuthorizer,
  createRestTokenAuthorizer,
  createVerifier,
  expressAuth,
  isTokenError,
  unauthorizedResponse,
  verifyRequest,
} from '../src/index.js'
import { createTestPool } from './helpers/cognito-pool.js'

const pool = createTestPool('eu-west-1')
const config = { userPoolId: pool.userPoolId, clientId: pool.clientId, jwks: pool.jwks }
const verifier = createVerifier({ pools: [config], tokenUse: 'access' })
const expired = pool.accessToken({ now: Math.floor(Date.now() / 1000) - 7200 })
const logs: string[] = []
const log = (entry: { code: string; message: string; status: number }) => logs.push(JSON.stringify(entry))

describe('expressAuth', () => {
  let base = ''
  let close = () => {}
  beforeAll(async () => {
    const app = express()
    app.get('/me', expressAuth(verifier, { log }), (req, res) => {
      res.json({ userId: (req as unknown as { auth: { userId: string } }).auth.userId })
    })
    const admin = createVerifier({ pools: [config], tokenUse: 'access', groups: ['admin'] })
    app.get('/admin', expressAuth(admin, { log }), (_req, res) => res.json({ ok: true }))
    const keysDown = createVerifier({
      pools: [{ ...config, jwks: undefined, jwksUri: 'http://127.0.0.1:1/jwks.json' }],
      tokenUse: 'access',
    })
    app.get('/down', expressAuth(keysDown, { log }), (_req, res) => res.json({ ok: true }))
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    close = () => server.close()
  })
  afterAll(() => close())

  it('sets req.auth for a valid token', async () => {
    const response = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${pool.accessToken()}` } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ userId: expect.stringMatching(/^u_[0-9a-f]{32}$/) })
  })

  it('answers 401 with a Bearer challenge and logs the reason, never the token', async () => {
    logs.length = 0
    const response = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${expired}` } })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="the token expired"',
    )
    expect(await response.json()).toMatchObject({ error: 'invalid_token', code: 'TOKEN_EXPIRED' })
    expect(logs).toHaveLength(1)
    expect(logs[0]).toContain('TOKEN_EXPIRED')
    for (const part of expired.split('.')) expect(logs[0]).not.toContain(part)
  })

  it('answers 401 with a bare challenge when there is no token', async () => {
    const response = await fetch(`${base}/me`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('answers 403 insufficient_scope when a group is missing', async () => {
    const response = await fetch(`${base}/admin`, { headers: { authorization: `Bearer ${pool.accessToken()}` } })
    expect(response.status).toBe(403)
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
  })

  it('answers 503 when the keys cannot be fetched (the token may be fine)', async () => {
    const response = await fetch(`${base}/down`, { headers: { authorization: `Bearer ${pool.accessToken()}` } })
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ code: 'JWKS_FETCH_FAILED' })
  })
})

describe('verifyRequest and unauthorizedResponse', () => {
  it('verifies the Bearer token of a fetch Request', async () => {
    const request = new Request('https://api.example/me', {
      headers: { Authorization: `bearer ${pool.accessToken()}` },
    })
    await expect(verifyRequest(verifier, request)).resolves.toMatchObject({ userPoolId: pool.userPoolId })
  })

  it('is also a method of the verifier, usable detached', async () => {
    const { verifyRequest: detached } = verifier
    const request = new Request('https://api.example/me', {
      headers: { authorization: `Bearer ${pool.accessToken()}` },
    })
    await expect(detached(request)).resolves.toMatchObject({ tokenUse: 'access' })
    await expect(detached(new Request('https://api.example/me'))).rejects.toMatchObject({ code: 'TOKEN_MISSING' })
  })

  it('builds a 401 Response for a rejected token', async () => {
    const error = await rejectionOf(
      verifyRequest(verifier, new Request('https://api.example/me', { headers: { authorization: 'Basic x' } })),
    )
    if (!isTokenError(error)) throw new Error('expected a TokenError')
    expect(error.code).toBe('TOKEN_MISSING')
    const response = unauthorizedResponse(error)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
  })
})

describe('API Gateway Lambda authorizers', () => {
  const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/orders/7'

  it('REST TOKEN: allows the stage for a valid token and passes the user in context', async () => {
    const handler = createRestTokenAuthorizer(verifier, { log })
    const event: APIGatewayTokenAuthorizerEvent = {
      type: 'TOKEN',
      methodArn,
      authorizationToken: `Bearer ${pool.accessToken({ claims: { 'cognito:groups': ['ops', 'dev'] } })}`,
    }
    const result = await handler(event)
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/*/*',
      },
    ])
    expect(result.principalId).toMatch(/^u_/)
    expect(result.context).toMatchObject({
      userPoolId: pool.userPoolId,
      region: 'eu-west-1',
      groups: 'ops,dev',
      email: '',
    })
  })

  it("REST TOKEN: throws 'Unauthorized' (API Gateway's 401) for a bad token", async () => {
    const handler = createRestTokenAuthorizer(verifier, { log })
    await expect(handler({ type: 'TOKEN', methodArn, authorizationToken: expired })).rejects.toThrow(/^Unauthorized$/)
  })

  it('REST REQUEST: reads the Authorization header in any case, and can allow only the method', async () => {
    const handler = createRestRequestAuthorizer(verifier, { log, policyResource: 'method' })
    const event = {
      type: 'REQUEST',
      methodArn,
      headers: { Authorization: `Bearer ${pool.accessToken()}` },
    } as unknown as APIGatewayRequestAuthorizerEvent
    const result = await handler(event)
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: methodArn })
    await expect(handler({ ...event, headers: {} })).rejects.toThrow('Unauthorized')
  })

  it('REST: a genuine token without the required group gets a Deny policy (403)', async () => {
    const admin = createVerifier({ pools: [config], tokenUse: 'access', groups: ['admin'] })
    const handler = createRestTokenAuthorizer(admin, { log })
    const result = await handler({ type: 'TOKEN', methodArn, authorizationToken: `Bearer ${pool.accessToken()}` })
    expect(result.policyDocument.Statement[0]?.Effect).toBe('Deny')
  })

  it('HTTP API: simple responses', async () => {
    const handler = createHttpApiAuthorizer(verifier, { log })
    const event = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: methodArn,
      identitySource: [`Bearer ${pool.accessToken()}`],
      headers: { authorization: `Bearer ${pool.accessToken()}` },
    } as unknown as APIGatewayRequestAuthorizerEventV2
    await expect(handler(event)).resolves.toMatchObject({ isAuthorized: true, context: { tokenUse: 'access' } })
    await expect(handler({ ...event, headers: { authorization: `Bearer ${expired}` } })).resolves.toEqual({
      isAuthorized: false,
    })
  })

  it('HTTP API: a key outage is an error (500), not a denial', async () => {
    const down = createVerifier({
      pools: [{ ...config, jwks: undefined, jwksUri: 'http://127.0.0.1:1/jwks.json' }],
      tokenUse: 'access',
    })
    const handler = createHttpApiAuthorizer(down, { log })
    const event = {
      type: 'REQUEST' as const,
      routeArn: methodArn,
      headers: { authorization: `Bearer ${pool.accessToken()}` },
    }
    await expect(handler(event)).rejects.toThrow(/JWKS_FETCH_FAILED/)
  })
})
