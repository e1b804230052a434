import type { SQSEvent } from 'aws-lambda'
import { createBackendTriggers, loadBackend } from './backend-triggers.js'
import { createSessionStore } from './challenge-sessions.js'
import type { PoolSettings, RegionPool } from './cognito/context.js'
import {
  type EmulatorConfigFile,
  type ReplicationSettings,
  type ResolvedConfig,
  resolveConfig,
  type Topology,
} from './config.js'
import { startControlServer } from './control-server.js'
import { type Fault, parseFault } from './faults.js'
import { createInbox, type InboxEntry } from './inbox.js'
import { type ReplicationQueues, type ReplicationWorker, startReplicationQueues } from './queues.js'
import { createQuotaCheck } from './quotas.js'
import { type RegionServer, startRegionServer, wellKnown } from './region-server.js'
import { createReplicaFeed } from './replica-feed.js'
import { createReplicationWiring, type ReplicationWiring } from './replication-wiring.js'
import { createPoolKeys, createTokenService } from './tokens.js'
import type { TriggerSet } from './triggers.js'

const regionNamesOf = (config: ResolvedConfig) => config.regions.map((r) => r.region)

import { createUserStore } from './user-store.js'

/** A region as clients see it: the `/_regionless/config` entry, a valid `@regionless/client` region. */
export interface EmulatorRegion {
  region: string
  userPoolId: string
  clientId: string
  endpoint: string
  issuer: string
  jwksUri: string
  apiUrl?: string
}

export interface EmulatorConfig {
  topology: Topology
  regions: EmulatorRegion[]
}

/** What a trigger factory gets to know about its region (e.g. where to queue replication work). */
export interface TriggerContext {
  region: string
  userPoolId: string
  clientId: string
  role: RegionPool['role']
  queue: { queueUrl: string; dlqUrl: string; sqsEndpoint: string }
  peers: EmulatorRegion[]
}

export interface StartEmulatorOptions {
  /** Control server port; region i listens on `port + 1 + i`. 0 (default) picks random free ports. */
  port?: number
  /** Region names; default `['eu-west-1', 'us-east-1']` (or the config file's). */
  regions?: string[]
  topology?: Topology
  /** The `--config` file's content. */
  config?: EmulatorConfigFile
  /** One line per trigger call, email, queue event. Default: silent. */
  log?: (line: string) => void
  /** Milliseconds since the epoch; inject to expire sessions, codes and tokens in tests. */
  now?: () => number
  /** Uniform numbers in [0, 1) that decide which requests a fault with a `rate` hits; inject for determinism. */
  random?: () => number
  /**
   * Replaces or extends a region's triggers. `defaults` are the real
   * `@regionless/backend` triggers; add `postConfirmation` here (the hook the
   * replication handlers plug into), or wrap a trigger to observe its events.
   */
  triggers?: (context: TriggerContext, defaults: TriggerSet) => TriggerSet
  /** The replication worker, called Lambda-style with SQS batches from each region's queue. */
  replicationWorker?: ReplicationWorker
  /**
   * Runs the backend's replication (pools topology): Post confirmation →
   * replicate, the queue worker, and lifecycle events from CloudTrail-shaped
   * events. Overrides the config file's `replication`. Default off.
   */
  replication?: boolean | ReplicationSettings
}

export interface RunningEmulator {
  config: EmulatorConfig
  controlUrl: string
  inboxUrl: string
  /** The SQS endpoint and each region's replication queue and DLQ. */
  queues: { endpoint: string; regions: { region: string; queueUrl: string; dlqUrl: string }[] }
  /** Same as `POST /_regionless/faults`. */
  setFault(fault: Fault): Promise<void>
  /** Same as `GET /_regionless/inbox`: newest first. */
  inbox(): InboxEntry[]
  /**
   * Present when replication runs: `settled()` resolves once every lifecycle event in flight is handled;
   * `tombstones` is the store every region's handlers share (a global table in AWS), for in-process code
   * that deletes users the way the backend does (`createAccountDeletion`).
   */
  replication?: { settled(): Promise<void>; tombstones: ReplicationWiring['tombstones'] }
  close(): Promise<void>
}

const issuerOf = (config: ResolvedConfig, region: string, userPoolId: string) =>
  config.topology === 'replicas'
    ? `https://issuer-cognito-idp.${config.regions[0]?.region}.amazonaws.com/${userPoolId}`
    : `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`

/**
 * Starts a local multi-region Cognito: one control server and one server per
 * region, on 127.0.0.1, running the real `@regionless/backend` triggers.
 *
 * @example
 * const emulator = await startEmulator({ topology: 'pools' })
 * const [eu] = emulator.config.regions // { region, userPoolId, clientId, endpoint, issuer, jwksUri }
 * // … drive it with @regionless/client or @aws-sdk/client-cognito-identity-provider (endpoint: eu.endpoint)
 * await emulator.close()
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const fileConfig =
    options.replication === undefined ? options.config : { ...options.config, replication: options.replication }
  const config = resolveConfig(fileConfig, {
    ...(options.regions && { regions: options.regions }),
    ...(options.topology && { topology: options.topology }),
  })
  const now = options.now ?? Date.now
  const log = options.log ?? (() => {})
  const basePort = options.port ?? 0
  const portFor = (i: number) => (basePort === 0 ? 0 : basePort + 1 + i)
  const settings: PoolSettings = {
    authSessionValidityMinutes: config.client.authSessionValidityMinutes,
    preventUserExistenceErrors: config.client.preventUserExistenceErrors,
    tokenValidity: {
      accessSeconds: config.client.accessTokenValiditySeconds,
      idSeconds: config.client.idTokenValiditySeconds,
      refreshSeconds: config.client.refreshTokenValidityDays * 86_400,
    },
  }

  let controlUrl = ''
  const inbox = createInbox({ now, log, inboxUrl: () => `${controlUrl}/inbox` })
  const feed = createReplicaFeed({ lagMs: config.replicaLagMs })

  // Keys (a few hundred ms of RSA work) and the SQS server start in parallel; replicas share one key.
  const keyCount = config.topology === 'replicas' ? 1 : config.regions.length
  const queuesStarting = startReplicationQueues({
    regions: config.regions.map((r) => r.region),
    maxReceiveCount: config.queues.maxReceiveCount,
    visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
    ...(options.replicationWorker && { worker: options.replicationWorker }),
    ...(!options.replicationWorker && config.replication && { worker: (event, region) => wiringWorker(event, region) }),
    log,
  })
  const keysMaking = Promise.all(Array.from({ length: keyCount }, () => createPoolKeys()))
  const [keysResult, queuesResult, backendResult] = await Promise.allSettled([
    keysMaking,
    queuesStarting,
    loadBackend(),
  ])
  if (keysResult.status === 'rejected' || queuesResult.status === 'rejected' || backendResult.status === 'rejected') {
    if (queuesResult.status === 'fulfilled') await queuesResult.value.close()
    const failed = [keysResult, queuesResult, backendResult].find((r) => r.status === 'rejected')
    throw (failed as PromiseRejectedResult).reason
  }
  // The queue pollers start before the regions listen; the worker waits for the wiring.
  let wiring: ReplicationWiring | undefined
  let wiringReady: (w: ReplicationWiring) => void = () => {}
  const wired = new Promise<ReplicationWiring>((resolve) => {
    wiringReady = resolve
  })
  async function wiringWorker(event: SQSEvent, region: string) {
    return (wiring ?? (await wired)).worker(event, region)
  }
  const keySet = keysResult.value
  const backendModule = backendResult.value
  const queues: ReplicationQueues = queuesResult.value

  // Replicas share one token service too: tokens and refresh tokens work in both regions.
  const services = keySet.map((keys, i) => {
    const r = config.regions[i] as ResolvedConfig['regions'][number]
    const issuer = issuerOf(config, r.region, r.userPoolId)
    return { keys, tokens: createTokenService({ keys, issuer, validity: settings.tokenValidity, now }) }
  })
  const pools: RegionPool[] = config.regions.map((r, i) => {
    const issuer = issuerOf(config, r.region, r.userPoolId)
    const shared = services[config.topology === 'replicas' ? 0 : i] as (typeof services)[number]
    const role: RegionPool['role'] = config.topology === 'pools' ? 'pool' : i === 0 ? 'primary' : 'secondary'
    return {
      region: r.region,
      userPoolId: r.userPoolId,
      clientId: r.clientId,
      issuer,
      role,
      primaryRegion: config.regions[0]?.region ?? r.region,
      users: createUserStore(role === 'primary' ? { onChange: (change) => feed.publish(change) } : {}),
      keys: shared.keys,
      tokens: shared.tokens,
      sessions: createSessionStore({ now, validityMinutes: settings.authSessionValidityMinutes }),
      settings,
      triggers: {},
    }
  })
  for (const pool of pools) if (pool.role === 'secondary') feed.subscribe(pool.users)

  const faults = new Map<string, Fault>()
  const quotaChecks = new Map(regionNamesOf(config).map((r) => [r, createQuotaCheck(config.quotas.userCreationRps)]))
  const quota = (region: string) => quotaChecks.get(region)
  const regionNames = pools.map((p) => p.region)
  const servers: RegionServer[] = []
  let control: Awaited<ReturnType<typeof startControlServer>> | undefined
  const close = async () => {
    feed.close()
    wiring?.close()
    await Promise.allSettled([...servers.map((s) => s.close()), control?.close(), queues.close()])
  }

  // Region ports open before the triggers are wired (their context needs the endpoints); requests wait for this.
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })

  try {
    for (const [i, pool] of pools.entries()) {
      servers.push(
        await startRegionServer({
          pool,
          ready,
          port: portFor(i),
          ...(options.random && { random: options.random }),
          fault: () => faults.get(pool.region),
          onCall: (call) => wiring?.onApiCall(pool.region, call),
          ...(quota(pool.region) && { quota: quota(pool.region) }),
          context: () => ({ now, log, sendEmail: (message) => inbox.deliver({ ...message, region: pool.region }) }),
        }),
      )
    }
    const regions: EmulatorRegion[] = pools.map((pool, i) => {
      const endpoint = servers[i]?.endpoint as string
      const apiUrl = config.regions[i]?.apiUrl
      return {
        region: pool.region,
        userPoolId: pool.userPoolId,
        clientId: pool.clientId,
        endpoint,
        issuer: pool.issuer,
        jwksUri: `${endpoint}${wellKnown(pool.userPoolId).jwks}`,
        ...(apiUrl && { apiUrl }),
      }
    })
    const backend = createBackendTriggers({
      backend: backendModule,
      config,
      pools: pools.map((p) => ({ ...p, jwks: p.keys.jwks })),
      inbox,
      now,
    })
    if (config.replication) {
      wiring = createReplicationWiring({
        backend: backendModule,
        regions,
        queues: queues.queues,
        settings: config.replication,
        log,
      })
      wiringReady(wiring)
    }
    for (const [i, pool] of pools.entries()) {
      const q = queues.queues[i]
      const context: TriggerContext = {
        region: pool.region,
        userPoolId: pool.userPoolId,
        clientId: pool.clientId,
        role: pool.role,
        queue: { queueUrl: q?.queueUrl ?? '', dlqUrl: q?.dlqUrl ?? '', sqsEndpoint: queues.endpoint },
        peers: regions.filter((r) => r.region !== pool.region),
      }
      const replicate = wiring?.postConfirmation(pool.region)
      const defaults = replicate ? { ...backend(pool.region), postConfirmation: replicate } : backend(pool.region)
      pool.triggers = options.triggers ? options.triggers(context, defaults) : defaults
    }
    const emulatorConfig: EmulatorConfig = { topology: config.topology, regions }
    control = await startControlServer({
      port: basePort,
      config: () => emulatorConfig,
      pools,
      inbox,
      queues: () => queues,
      faults,
      applyFault,
    })
    controlUrl = control.url
    markReady()

    async function applyFault(fault: Fault) {
      if (fault.mode === 'healthy') faults.delete(fault.region)
      else faults.set(fault.region, fault)
      const server = servers[pools.findIndex((p) => p.region === fault.region)]
      await server?.setDown(fault.mode === 'down' && (fault.rate ?? 1) >= 1)
      log(`[fault] ${fault.region} → ${fault.mode}${fault.rate !== undefined ? ` rate=${fault.rate}` : ''}`)
    }

    return {
      config: emulatorConfig,
      controlUrl,
      inboxUrl: `${controlUrl}/inbox`,
      queues: {
        endpoint: queues.endpoint,
        regions: queues.queues.map((q) => ({ region: q.region, queueUrl: q.queueUrl, dlqUrl: q.dlqUrl })),
      },
      // Validated like the HTTP endpoint: a bad fault throws FaultError and changes nothing.
      setFault: async (fault) => applyFault(parseFault(fault, regionNames)),
      inbox: () => inbox.list(),
      ...(wiring && {
        replication: {
          settled: (wiring as ReplicationWiring).settled,
          tombstones: (wiring as ReplicationWiring).tombstones,
        },
      }),
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}
