import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { OperationContext, RegionPool } from '../cognito/context.js'
import { OPERATIONS, TARGET_PREFIX } from '../cognito/operations.js'
import type { OriginAllowList } from '../config/allowed-origins.js'
import { CognitoError, internalError, isCognitoError } from '../errors.js'
import { actionFor, type Fault } from '../faults.js'
import type { ApiCall } from '../replication/cloudtrail.js'
import { accessKeyIdOf } from '../replication/cloudtrail.js'
import { sdkVersionFrom } from '../triggers/run-trigger.js'
import { corsHeaders, readBody, refuseForeign, sendJson } from './http-util.js'

const AMZ_JSON = 'application/x-amz-json-1.1'

export interface RegionServerOptions {
  pool: RegionPool
  port: number
  /** Resolves once the pool is fully wired (triggers included); requests wait for it. */
  ready?: Promise<void>
  fault: () => Fault | undefined
  context: (pool: RegionPool) => Omit<OperationContext, 'pool' | 'awsSdkVersion' | 'signed'>
  random?: () => number
  /** Told of every successful call (the emulator turns user-directory calls into CloudTrail events). */
  onCall?: (call: ApiCall) => void
  /** Request quotas: false means over the rate (TooManyRequestsException). */
  quota?: (operation: string) => boolean
  /** Browser origins that may call it; the app calls Cognito from its own origin. */
  origins: OriginAllowList
}

/** The JWKS and OpenID paths Cognito serves for a pool, relative to the region endpoint. */
export const wellKnown = (userPoolId: string) => ({
  jwks: `/${userPoolId}/.well-known/jwks.json`,
  openid: `/${userPoolId}/.well-known/openid-configuration`,
})

/**
 * One region's Cognito endpoint on 127.0.0.1. Faults are applied before
 * anything else, so a `down` region refuses even CORS preflights and JWKS.
 */
export async function startRegionServer(options: RegionServerOptions) {
  const { pool } = options
  const random = options.random ?? Math.random
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(req, res, internalError(err instanceof Error ? err.message : String(err)))
    })
  })
  server.keepAliveTimeout = 2_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const endpoint = () => `http://127.0.0.1:${port}`

  async function handle(req: IncomingMessage, res: ServerResponse) {
    await options.ready
    const named = String(req.headers['x-amz-target'] ?? '')
    const action = actionFor(
      options.fault(),
      random(),
      named.startsWith(TARGET_PREFIX) ? named.slice(TARGET_PREFIX.length) : undefined,
    )
    switch (action.kind) {
      case 'refuse':
        req.socket.destroy()
        return
      case 'hang':
        return // accepted and never answered; the socket is destroyed on close()
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, action.ms))
        break
      case 'error':
        return sendError(req, res, internalError())
      case 'throttle':
        return sendError(req, res, new CognitoError('TooManyRequestsException', 'Rate exceeded'))
      case 'pass':
        break
    }
    // After the fault, so a `down` region still refuses everyone; before anything is read or changed.
    if (refuseForeign(req, res, port, options.origins)) return
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req))
      return res.end()
    }
    const path = (req.url ?? '/').split('?')[0]
    const known = wellKnown(pool.userPoolId)
    if (req.method === 'GET' && path === known.jwks) return sendJson(req, res, 200, pool.keys.jwks())
    if (req.method === 'GET' && path === known.openid) return sendJson(req, res, 200, openidConfiguration())
    if (req.method !== 'POST' || path !== '/') {
      return sendJson(req, res, 404, { message: 'Not Found' })
    }
    const text = await readBody(req)
    if (text === undefined) return sendError(req, res, new CognitoError('SerializationException', 'Request too large'))
    const target = String(req.headers['x-amz-target'] ?? '')
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : ''
    const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined
    if (!operation) return sendError(req, res, unknownOperation(name, target))
    let body: unknown
    try {
      body = text.trim() === '' ? {} : JSON.parse(text)
    } catch {
      return sendError(req, res, new CognitoError('SerializationException', 'Unable to parse the request body as JSON'))
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError(req, res, new CognitoError('SerializationException', 'The request body must be a JSON object'))
    }
    const ctx: OperationContext = {
      ...options.context(pool),
      pool,
      awsSdkVersion: sdkVersionFrom(String(req.headers['x-amz-user-agent'] ?? req.headers['user-agent'] ?? '')),
      signed: /^AWS4-HMAC-SHA256 /.test(String(req.headers.authorization ?? '')),
    }
    if (options.quota && !options.quota(name)) {
      return sendError(req, res, new CognitoError('TooManyRequestsException', 'Rate exceeded'))
    }
    try {
      const result = await operation(ctx, body as Record<string, unknown>)
      sendJson(req, res, 200, result, { 'x-amzn-requestid': randomUUID() }, AMZ_JSON)
      if (options.onCall) {
        const accessKeyId = ctx.signed ? accessKeyIdOf(String(req.headers.authorization)) : undefined
        options.onCall({
          operation: name,
          body: body as Record<string, unknown>,
          userAgent: String(req.headers['user-agent'] ?? ''),
          ...(accessKeyId && { accessKeyId }),
          at: ctx.now(),
        })
      }
    } catch (err) {
      if (isCognitoError(err)) return sendError(req, res, err)
      ctx.log(`[error] ${pool.region} ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      sendError(req, res, internalError())
    }
  }

  function openidConfiguration() {
    return {
      issuer: pool.issuer,
      jwks_uri: `${endpoint()}${wellKnown(pool.userPoolId).jwks}`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    }
  }

  const listen = (wanted: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(wanted, '127.0.0.1', () => {
        server.off('error', reject)
        const address = server.address()
        resolve(typeof address === 'object' && address ? address.port : wanted)
      })
    })

  const dropConnections = () => {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
  }

  let port = await listen(options.port)
  let down = false

  return {
    get endpoint() {
      return endpoint()
    },
    get port() {
      return port
    },
    /**
     * `down`: stop listening and drop every open connection, so clients see
     * ECONNREFUSED (or a reset) as in a real outage; back up on the same port.
     */
    async setDown(value: boolean) {
      if (value === down) return
      down = value
      if (value) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        dropConnections()
        await closed
      } else {
        port = await listen(port)
      }
    },
    async close() {
      const closed = down ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()))
      dropConnections()
      await closed
    },
  }
}

/**
 * Cognito's front end answers an X-Amz-Target it does not know with the Coral
 * framework's error, namespace included (SDKs keep what follows the `#`). Cognito
 * sends no message, which the AWS SDK shows as "UnknownError"; the emulator names
 * the operation, since it serves fewer operations than Cognito.
 */
function unknownOperation(name: string, target: string): CognitoError {
  const message = name
    ? `The emulator does not implement ${name} (docs/emulator.md lists the operations it serves).`
    : `X-Amz-Target "${target}" names no AWSCognitoIdentityProviderService operation.`
  return new CognitoError('com.amazon.coral.service#UnknownOperationException', message)
}

/** Header values must be visible ASCII; a message that is not stays in the body only. */
const PRINTABLE = /^[\x20-\x7e]*$/

function sendError(req: IncomingMessage, res: ServerResponse, err: CognitoError) {
  const name = err.type.slice(err.type.indexOf('#') + 1)
  sendJson(
    req,
    res,
    err.status,
    err.message ? { __type: err.type, message: err.message } : { __type: err.type },
    {
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': `${name}:`,
      ...(err.message && PRINTABLE.test(err.message) && { 'x-amzn-errormessage': err.message }),
    },
    AMZ_JSON,
  )
}

export type RegionServer = Awaited<ReturnType<typeof startRegionServer>>
