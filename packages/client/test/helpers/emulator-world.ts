// Shared setup for integration tests: the real emulator (both topologies),
// tiny per-region product APIs on node:http, and fault injection through the
// emulator's control endpoint, exactly as a developer would drive it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type EmulatorConfigFile, type RunningEmulator, startEmulator } from '@regionless/emulator'
import {
  type AuthClient,
  type AuthClientConfig,
  type AuthEvents,
  createAuthClient,
  memoryStorage,
  type StorageAdapter,
} from '../../src/index.js'

export const REGIONS = ['eu-west-1', 'us-east-1']
export type Mode = 'healthy' | 'down' | 'blackhole' | 'slow' | 'error' | 'throttle'

/** A product API for one region: accepts a Bearer token, answers which pool issued it. Can be taken down. */
export interface FakeApi {
  url: string
  calls: Array<{ path: string; issuer: string | undefined }>
  mode: 'up' | 'error' | 'down'
  close(): Promise<void>
}

const issuerOf = (auth: string | undefined) => {
  const payload = auth?.replace(/^Bearer /, '').split('.')[1]
  if (!payload) return undefined
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString()).iss as string
  } catch {
    return undefined
  }
}

async function startApi(region: string): Promise<FakeApi> {
  const api: FakeApi = { url: '', calls: [], mode: 'up', close: async () => {} }
  const server: Server = createServer((req, res) => {
    if (api.mode === 'down') {
      req.socket.destroy()
      return
    }
    const issuer = issuerOf(req.headers.authorization)
    api.calls.push({ path: req.url ?? '', issuer })
    if (api.mode === 'error') {
      res.writeHead(503).end()
      return
    }
    if (!issuer) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"no token"}')
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ region, issuer }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  api.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return api
}

export interface World {
  emu: RunningEmulator
  apis: FakeApi[]
  storage: StorageAdapter
  client(overrides?: Partial<AuthClientConfig>): AuthClient
  fault(region: string, mode: Mode, extra?: { rate?: number; latencyMs?: number }): Promise<void>
  /** Newest message sent to `email`. */
  lastMail(email: string): { code?: string; link?: string; region?: string }
  mails(email: string): number
  close(): Promise<void>
}

/** `config`: more of the emulator's config file (the app client's settings, say). */
export async function startWorld(
  topology: 'pools' | 'replicas' = 'pools',
  config: Omit<EmulatorConfigFile, 'topology' | 'regions'> = {},
): Promise<World> {
  const apis = await Promise.all(REGIONS.map(startApi))
  const emu = await startEmulator({
    port: 0,
    topology,
    ...(process.env.REGIONLESS_EMULATOR_LOG ? { log: (line: string) => console.log(line) } : {}),
    // Replica lag 0: a user created in the primary is visible in the secondary at once.
    config: {
      replicaLagMs: 0,
      ...config,
      topology,
      regions: REGIONS.map((region, i) => ({ region, apiUrl: apis[i]!.url })),
    },
  })
  const storage = memoryStorage()
  const clients: AuthClient[] = []
  return {
    emu,
    apis,
    storage,
    client(overrides = {}) {
      // Short time-outs keep blackhole tests quick; the defaults are for real networks.
      const c = createAuthClient({ ...emu.config, storage, timeoutMs: 1_000, hedgeDelayMs: 500, ...overrides })
      clients.push(c)
      return c
    },
    async fault(region, mode, extra = {}) {
      const res = await fetch(`${emu.controlUrl}/_regionless/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ region, mode, ...extra }),
      })
      if (!res.ok) throw new Error(`fault ${mode} in ${region}: HTTP ${res.status}`)
    },
    lastMail(email) {
      const mail = emu.inbox().find((m) => m.to === email)
      if (!mail) throw new Error(`no mail for ${email}`)
      return mail
    },
    mails: (email) => emu.inbox().filter((m) => m.to === email).length,
    async close() {
      for (const c of clients) c.destroy()
      await emu.close()
      await Promise.all(apis.map((a) => a.close()))
    },
  }
}

let counter = 0
/** A fresh address per test, so send throttles and inbox lookups never mix tests. */
export const freshEmail = () => `user${++counter}.${Date.now()}@example.com`

/** Signs the user up in every pool (pools topology has no replication in the bare emulator). */
export async function signUpEverywhere(world: World, email: string) {
  for (const homeRegion of REGIONS)
    await world.client({ homeRegion, storageKey: `signup-${homeRegion}` }).signUp({ email })
}

export async function signInByCode(client: AuthClient, world: World, email: string) {
  await client.signIn({ email, method: 'code' })
  return client.answer(world.lastMail(email).code!)
}

/** The next `event` of `client` whose payload `when` accepts. */
export const nextEvent = <E extends keyof AuthEvents>(
  client: AuthClient,
  event: E,
  when: (payload: AuthEvents[E]) => boolean = () => true,
) =>
  new Promise<AuthEvents[E]>((resolve) => {
    const off = client.on(event, (payload) => {
      if (!when(payload)) return
      off()
      resolve(payload)
    })
  })

/**
 * GetTokensFromRefreshToken sent straight to a region, as another device would: the status,
 * Cognito's `__type` when refused, and the rotated refresh token when one comes back.
 */
export async function refreshDirectly(world: World, region: string, refreshToken: string | undefined) {
  const { endpoint, clientId } = world.emu.config.regions.find((r) => r.region === region)!
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
    },
    body: JSON.stringify({ ClientId: clientId, RefreshToken: refreshToken }),
  })
  const body = await res.json()
  return {
    status: res.status,
    type: body.__type as string | undefined,
    rotated: body.AuthenticationResult?.RefreshToken as string | undefined,
  }
}
