import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { RegionPool } from '../cognito/context.js'
import type { OriginAllowList } from '../config/allowed-origins.js'
import { type Fault, FaultError, parseFault } from '../faults.js'
import type { Inbox, InboxEntry } from '../inbox.js'
import type { ReplicationQueues } from '../replication/queues.js'
import { callStore, type SharedStores, StoreCallError } from '../shared-stores/shared-stores.js'
import type { Seeder } from '../start/seeding.js'
import { SeedError } from '../store/seed-users.js'
import { attributeList } from '../store/user-store.js'
import type { RotatedKeys } from '../tokens/key-rotation.js'
import { corsHeaders, readBody, refuseForeign, sendJson, sendText } from './http-util.js'
import { renderInboxPage } from './inbox-page.js'

export interface ControlServerOptions {
  port: number
  config: () => unknown
  pools: RegionPool[]
  inbox: Inbox
  queues: () => ReplicationQueues | undefined
  faults: Map<string, Fault>
  /** Applies a fault to its region (the `down` mode needs the region server to stop listening). */
  applyFault: (fault: Fault) => Promise<void>
  /** Publishes a new key pair in a pool; a TypeError when the request names no pool. */
  rotateKeys: (request: unknown) => Promise<RotatedKeys>
  /** Bulk-writes users into a region's pool; throws a SeedError (and writes nothing) on a bad request. */
  seedUsers: Seeder
  /** Runs a region's lifecycle handler once (replication on): `POST /_regionless/lifecycle`, redrive's replay. */
  lifecycle?: (region: string, event: unknown) => Promise<unknown>
  /** The stores every region sees, for APIs in other processes (`POST /_regionless/stores`). */
  stores: SharedStores
  /** Browser origins that may call it (the inbox holds live codes; faults change every region). */
  origins: OriginAllowList
}

// 100 000 users with a few attributes are about 15 MB of JSON.
const SEED_MAX_BYTES = 64 * 1_048_576

/** The `/_regionless/*` endpoints and the `/inbox` page, on 127.0.0.1. */
export async function startControlServer(options: ControlServerOptions) {
  const regions = options.pools.map((p) => p.region)
  const sockets = new Set<Socket>()
  // Known once listening (port 0 picks one); no request is handled before.
  let port = options.port
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(req, res, 500, { error: err.message })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (refuseForeign(req, res, port, options.origins)) return
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const route = `${req.method} ${url.pathname}`
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req))
      return res.end()
    }
    switch (route) {
      case 'GET /_regionless/config':
        return sendJson(req, res, 200, options.config())
      case 'GET /_regionless/inbox': {
        // `?to=` filters by recipient, `?since=` (ms or ISO time) by send time, and
        // `?wait=ms` (at most 30 s) holds the answer until such a message exists.
        const to = url.searchParams.get('to')?.toLowerCase()
        const sinceParam = url.searchParams.get('since')
        const since = sinceParam ? (/^\d+$/.test(sinceParam) ? Number(sinceParam) : Date.parse(sinceParam)) : 0
        const wait = Math.min(Math.max(Number(url.searchParams.get('wait') ?? 0) || 0, 0), 30_000)
        const select = (list: InboxEntry[]) =>
          list.filter((e) => (!to || e.to.toLowerCase() === to) && (!since || Date.parse(e.sentAt) >= since))
        return sendJson(req, res, 200, await options.inbox.waitFor(select, wait))
      }
      case 'DELETE /_regionless/inbox':
        options.inbox.clear()
        return sendJson(req, res, 200, [])
      case 'GET /inbox':
      case 'GET /':
        return sendText(req, res, 200, renderInboxPage(options.inbox.list()), 'text/html; charset=utf-8')
      case 'GET /_regionless/faults':
        return sendJson(req, res, 200, faultList())
      case 'POST /_regionless/faults':
        return postFault(req, res)
      case 'POST /_regionless/keys/rotate':
        return postKeyRotation(req, res)
      case 'GET /_regionless/users':
        return users(req, res, url.searchParams.get('region'))
      case 'POST /_regionless/users/seed':
        return postSeed(req, res)
      case 'POST /_regionless/lifecycle':
        return postLifecycle(req, res)
      case 'POST /_regionless/stores':
        return postStoreCall(req, res)
      case 'GET /_regionless/queues': {
        const queues = options.queues()
        return sendJson(req, res, 200, queues ? await queues.depths() : [])
      }
      default:
        return sendJson(req, res, 404, { error: `no route ${route}` })
    }
  }

  const faultList = () => regions.map((region) => options.faults.get(region) ?? { region, mode: 'healthy' })

  async function postFault(req: IncomingMessage, res: ServerResponse) {
    const text = await readBody(req)
    let fault: Fault
    try {
      fault = parseFault(JSON.parse(text ?? ''), regions)
    } catch (err) {
      const message = err instanceof FaultError ? err.message : 'body must be JSON: { region, mode, latencyMs?, rate? }'
      return sendJson(req, res, 400, { error: message })
    }
    await options.applyFault(fault)
    return sendJson(req, res, 200, fault)
  }

  /** `{ region, event }`: 200 `{ result }` when the handler succeeded, 500 `{ error }` when it threw. */
  async function postLifecycle(req: IncomingMessage, res: ServerResponse) {
    if (!options.lifecycle) return sendJson(req, res, 404, { error: 'replication is off: no lifecycle handler runs' })
    let request: { region?: unknown; event?: unknown }
    try {
      request = JSON.parse((await readBody(req)) ?? '')
    } catch {
      return sendJson(req, res, 400, { error: 'body must be JSON: { region, event }' })
    }
    if (typeof request?.region !== 'string' || !regions.includes(request.region)) {
      return sendJson(req, res, 400, { error: `region must be one of ${regions.join(', ')}` })
    }
    try {
      return sendJson(req, res, 200, { result: await options.lifecycle(request.region, request.event) })
    } catch (err) {
      return sendJson(req, res, 500, { error: `${(err as Error).name}: ${(err as Error).message}` })
    }
  }

  /** `{ store, method, args }`: 200 `{ result }`, 400 for a call no store has. */
  async function postStoreCall(req: IncomingMessage, res: ServerResponse) {
    let request: unknown
    try {
      request = JSON.parse((await readBody(req)) ?? '')
    } catch {
      return sendJson(req, res, 400, { error: 'body must be JSON: { store, method, args }' })
    }
    try {
      const result = await callStore(options.stores, request)
      return sendJson(req, res, 200, result === undefined ? {} : { result })
    } catch (err) {
      if (err instanceof StoreCallError || err instanceof TypeError)
        return sendJson(req, res, 400, { error: err.message })
      throw err
    }
  }

  async function postKeyRotation(req: IncomingMessage, res: ServerResponse) {
    let request: unknown
    try {
      request = JSON.parse((await readBody(req)) ?? '')
    } catch {
      return sendJson(req, res, 400, { error: 'body must be JSON: { region } or { userPoolId }, retire?: boolean' })
    }
    try {
      return sendJson(req, res, 200, await options.rotateKeys(request))
    } catch (err) {
      if (err instanceof TypeError) return sendJson(req, res, 400, { error: err.message })
      throw err
    }
  }

  async function postSeed(req: IncomingMessage, res: ServerResponse) {
    const text = await readBody(req, SEED_MAX_BYTES)
    if (text === undefined) {
      return sendJson(req, res, 413, { error: `body over ${SEED_MAX_BYTES / 1_048_576} MiB: seed in several requests` })
    }
    let request: unknown
    try {
      request = JSON.parse(text)
    } catch {}
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return sendJson(req, res, 400, { error: 'body must be JSON: { region, users: [{ username, attributes?, … }] }' })
    }
    try {
      return sendJson(req, res, 200, options.seedUsers(request))
    } catch (err) {
      if (!(err instanceof SeedError)) throw err
      const status = err.reason === 'duplicate' ? 409 : 400
      return sendJson(req, res, status, { error: err.message, reason: err.reason, field: err.field })
    }
  }

  function users(req: IncomingMessage, res: ServerResponse, region: string | null) {
    const pool = options.pools.find((p) => p.region === region)
    if (!pool) return sendJson(req, res, 400, { error: `region must be one of ${regions.join(', ')}` })
    return sendJson(
      req,
      res,
      200,
      pool.users.list().map((u) => ({
        username: u.username,
        sub: u.sub,
        attributes: Object.fromEntries(attributeList(u).map((a) => [a.Name, a.Value])),
        enabled: u.enabled,
        status: u.status,
        createdAt: new Date(u.createdAt).toISOString(),
        updatedAt: new Date(u.updatedAt).toISOString(),
      })),
    )
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : options.port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}
