import { createOriginAllowList } from './config/allowed-origins.js'
import { createDeferred } from './deferred.js'
import type { EmulatorConfig, RunningEmulator, StartEmulatorOptions } from './emulator-types.js'
import type { Fault } from './faults.js'
import { createInbox } from './inbox.js'
import { createReplicaFeed } from './replication/replica-feed.js'
import { createReplicationWiring, type ReplicationWiring } from './replication/replication-wiring.js'
import { startControlPlane } from './start/control-plane.js'
import { runningEmulator } from './start/handle.js'
import { buildPools } from './start/pools.js'
import { describeRegions, startRegionServers } from './start/region-servers.js'
import { createSeeder } from './start/seeding.js'
import { startServices } from './start/services.js'
import { createShutdown } from './start/shutdown.js'
import { resolveStartOptions } from './start/start-options.js'
import { wireTriggers } from './start/wire-triggers.js'
import { createKeyRotation } from './tokens/key-rotation.js'
import { createBackendTriggers } from './triggers/backend-triggers.js'

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
  const { config, now, log, controlPort, regionPort } = resolveStartOptions(options)
  // Only the inbox's log lines use it, and no mail is sent before the control server listens.
  let controlUrl = ''
  const inbox = createInbox({ now, log, inboxUrl: () => `${controlUrl}/inbox` })
  // One list for every server: an origin allowed later (`allowOrigin`) reaches them all.
  const origins = createOriginAllowList(config.allowedOrigins)
  const feed = createReplicaFeed({ lagMs: config.replicaLagMs })
  // The queue pollers start before the regions listen; the replication worker waits for the wiring.
  const wiring = createDeferred<ReplicationWiring>()
  const { keys, queues, backend } = await startServices({
    config,
    log,
    worker:
      options.replicationWorker ??
      (config.replication ? async (event, region) => (await wiring.promise).worker(event, region) : undefined),
  })
  const shutdown = createShutdown()
  shutdown.add(
    () => feed.close(),
    () => wiring.value?.close(),
    () => queues.close(),
  )

  try {
    const pools = buildPools({ config, keys, feed, now })
    const faults = new Map<string, Fault>()
    const ready = createDeferred<void>()
    const servers = await startRegionServers({
      pools,
      config,
      ready: ready.promise,
      port: regionPort,
      fault: (region) => faults.get(region),
      onCall: (region, call) => wiring.value?.onApiCall(region, call),
      inbox,
      now,
      log,
      random: options.random,
      origins,
    })
    shutdown.add(...servers.map((server) => () => server.close()))
    const regions = describeRegions(config, pools, servers)
    // The bridge trusts each peer's JWKS as it is now, like the snapshot a deployment ships: after a
    // peer rotates its keys, its new tokens are refused until a redeploy (the emulator's restart).
    const identities = pools.map((pool) => ({ ...pool, jwks: pool.keys.jwks() }))
    // The stores every region sees (one global table in AWS): spent links and challenges, and passkeys.
    const stores = {
      singleUse: backend.createMemorySingleUseStore({ now }),
      passkeys: backend.createMemoryPasskeyStore({ now }),
    }
    const challengeTriggers = createBackendTriggers({ backend, config, pools: identities, inbox, now, ...stores })
    if (config.replication) {
      const settings = config.replication
      wiring.resolve(createReplicationWiring({ backend, regions, queues: queues.queues, settings, log, now }))
    }
    wireTriggers({
      pools,
      regions,
      queues,
      backend: challengeTriggers,
      replication: wiring.value,
      customize: options.triggers,
    })
    const { passkeyRpId: rpId, passkeyRpName: rpName, passkeyOrigins } = config.triggers
    const emulatorConfig: EmulatorConfig = {
      topology: config.topology,
      regions,
      ...(rpId && {
        relyingParty: { rpId, ...(rpName && { rpName }), origins: (passkeyOrigins ?? []) as string[] },
      }),
    }
    const rotateKeys = createKeyRotation(pools)
    const seedUsers = createSeeder(pools, now)
    const control = await startControlPlane({
      port: controlPort,
      config: emulatorConfig,
      pools,
      servers,
      faults,
      inbox,
      queues,
      rotateKeys,
      seedUsers,
      log,
      origins,
      stores,
      ...(wiring.value && { lifecycle: wiring.value.invokeLifecycle }),
    })
    shutdown.add(control.close)
    controlUrl = control.url
    ready.resolve()
    return runningEmulator({
      config: emulatorConfig,
      controlUrl,
      queues,
      inbox,
      applyFault: control.applyFault,
      rotateKeys,
      seedUsers,
      replication: wiring.value,
      feed,
      origins,
      stores,
      close: shutdown.close,
    })
  } catch (err) {
    await shutdown.close()
    throw err
  }
}
