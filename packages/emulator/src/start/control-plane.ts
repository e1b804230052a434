import type { RegionPool } from '../cognito/context.js'
import type { OriginAllowList } from '../config/allowed-origins.js'
import type { EmulatorConfig } from '../emulator-types.js'
import type { Fault } from '../faults.js'
import type { Inbox } from '../inbox.js'
import type { ReplicationQueues } from '../replication/queues.js'
import { startControlServer } from '../server/control-server.js'
import type { RegionServer } from '../server/region-server.js'
import type { SharedStores } from '../shared-stores/shared-stores.js'
import type { RotatedKeys } from '../tokens/key-rotation.js'
import { createFaultSwitch } from './fault-switch.js'
import type { Seeder } from './seeding.js'

/**
 * The control server (`/_regionless/*` and the inbox page) on `port`, with the switch that puts
 * faults in force; `servers[i]` serves `pools[i]`. `applyFault` is what `POST /_regionless/faults`
 * and the handle's `setFault` call.
 */
export async function startControlPlane(options: {
  port: number
  config: EmulatorConfig
  pools: RegionPool[]
  servers: RegionServer[]
  faults: Map<string, Fault>
  inbox: Inbox
  queues: ReplicationQueues
  rotateKeys: (request: unknown) => Promise<RotatedKeys>
  seedUsers: Seeder
  log: (line: string) => void
  origins: OriginAllowList
  stores: SharedStores
  lifecycle?: (region: string, event: unknown) => Promise<unknown>
}) {
  const { config, queues, faults } = options
  const applyFault = createFaultSwitch({
    faults,
    listeners: new Map(options.pools.map((pool, i) => [pool.region, options.servers[i] as RegionServer])),
    log: options.log,
  })
  const server = await startControlServer({
    port: options.port,
    config: () => config,
    pools: options.pools,
    inbox: options.inbox,
    queues: () => queues,
    faults,
    applyFault,
    rotateKeys: options.rotateKeys,
    seedUsers: options.seedUsers,
    origins: options.origins,
    stores: options.stores,
    ...(options.lifecycle && { lifecycle: options.lifecycle }),
  })
  return { url: server.url, close: server.close, applyFault }
}

export type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>
