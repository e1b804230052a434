import type { RegionPool } from '../cognito/context.js'
import type { EmulatorRegion, StartEmulatorOptions, TriggerContext } from '../emulator-types.js'
import type { ReplicationQueues } from '../replication/queues.js'
import type { ReplicationWiring } from '../replication/replication-wiring.js'
import type { TriggerSet } from '../triggers/run-trigger.js'

/**
 * Gives each pool its triggers: the backend's challenge triggers (`backend`), the replication's
 * Post confirmation when replication runs, then the caller's `triggers` option, which may replace
 * or wrap any of them.
 */
export function wireTriggers(options: {
  pools: RegionPool[]
  regions: EmulatorRegion[]
  queues: ReplicationQueues
  backend: (region: string) => TriggerSet
  replication: ReplicationWiring | undefined
  customize: StartEmulatorOptions['triggers']
}): void {
  const { queues, customize } = options
  for (const [i, pool] of options.pools.entries()) {
    const q = queues.queues[i]
    const context: TriggerContext = {
      region: pool.region,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      role: pool.role,
      queue: { queueUrl: q?.queueUrl ?? '', dlqUrl: q?.dlqUrl ?? '', sqsEndpoint: queues.endpoint },
      peers: options.regions.filter((r) => r.region !== pool.region),
    }
    const replicate = options.replication?.postConfirmation(pool.region)
    const backend = options.backend(pool.region)
    const defaults = replicate ? { ...backend, postConfirmation: replicate } : backend
    pool.triggers = customize ? customize(context, defaults) : defaults
  }
}
