import type { OriginAllowList } from '../config/allowed-origins.js'
import type { EmulatorConfig, RunningEmulator } from '../emulator-types.js'
import { type Fault, parseFault } from '../faults.js'
import type { Inbox } from '../inbox.js'
import type { ReplicationQueues } from '../replication/queues.js'
import type { ReplicaFeed } from '../replication/replica-feed.js'
import type { ReplicationWiring } from '../replication/replication-wiring.js'
import type { SharedStores } from '../shared-stores/shared-stores.js'
import type { RotatedKeys } from '../tokens/key-rotation.js'
import type { Seeder } from './seeding.js'

/** The handle `startEmulator` returns, over the parts it started. */
export function runningEmulator(options: {
  config: EmulatorConfig
  controlUrl: string
  queues: ReplicationQueues
  inbox: Inbox
  applyFault: (fault: Fault) => Promise<void>
  rotateKeys: (request: unknown) => Promise<RotatedKeys>
  seedUsers: Seeder
  replication: ReplicationWiring | undefined
  feed: ReplicaFeed
  origins: OriginAllowList
  stores: SharedStores
  close: () => Promise<void>
}): RunningEmulator {
  const { config, controlUrl, queues, inbox, applyFault, replication } = options
  const regionNames = config.regions.map((r) => r.region)
  return {
    config,
    controlUrl,
    inboxUrl: `${controlUrl}/inbox`,
    stores: options.stores,
    queues: {
      endpoint: queues.endpoint,
      regions: queues.queues.map((q) => ({
        region: q.region,
        queueUrl: q.queueUrl,
        dlqUrl: q.dlqUrl,
        lifecycleFailuresUrl: q.lifecycleFailuresUrl,
      })),
      drained: () => queues.drained(),
    },
    allowOrigin: (origin) => options.origins.add(origin),
    // Checked like the HTTP endpoint: a bad fault throws FaultError and changes nothing.
    setFault: async (fault) => applyFault(parseFault(fault, regionNames)),
    inbox: () => inbox.list(),
    // Checked like the HTTP endpoint: a request that names no pool throws a TypeError.
    rotateKeys: (target) => options.rotateKeys(typeof target === 'string' ? { region: target } : target),
    // Checked like the HTTP endpoint: a bad request throws SeedError and writes nothing.
    seedUsers: async (region, users) => options.seedUsers({ region, users }),
    ...(replication && {
      replication: {
        settled: replication.settled,
        // A lifecycle event can queue work and the worker's writes raise lifecycle events: until both are quiet.
        async drained() {
          do {
            await replication.settled()
            await queues.drained()
          } while (!replication.idle())
        },
        tombstones: replication.tombstones,
      },
    }),
    ...(config.topology === 'replicas' && { replicas: { settled: options.feed.settled } }),
    close: options.close,
  }
}
