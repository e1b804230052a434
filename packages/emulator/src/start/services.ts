import { type BackendModule, loadBackend } from '../backend-module.js'
import type { ResolvedConfig } from '../config/emulator-config.js'
import { type ReplicationQueues, type ReplicationWorker, startReplicationQueues } from '../replication/queues.js'
import { createPoolKeys, type PoolKeys } from '../tokens/pool-keys.js'

export interface Services {
  /** One key ring (an ID and an access key) per region; one in all for replicas, which share it. */
  keys: PoolKeys[]
  queues: ReplicationQueues
  backend: BackendModule
}

/**
 * The slow parts of start-up, run in parallel: the SQS server with each region's queues, the
 * pools' RSA keys (a few hundred ms each) and the backend's modules. When one fails, the queues
 * (if they started) are closed and the first failure is thrown.
 */
export async function startServices(options: {
  config: ResolvedConfig
  worker: ReplicationWorker | undefined
  log: (line: string) => void
}): Promise<Services> {
  const { config } = options
  const queuesStarting = startReplicationQueues({
    regions: config.regions.map((r) => r.region),
    maxReceiveCount: config.queues.maxReceiveCount,
    visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
    ...(options.worker && { worker: options.worker }),
    log: options.log,
  })
  const keyCount = config.topology === 'replicas' ? 1 : config.regions.length
  const keysMaking = Promise.all(Array.from({ length: keyCount }, () => createPoolKeys()))
  const [keys, queues, backend] = await Promise.allSettled([keysMaking, queuesStarting, loadBackend()])
  if (keys.status === 'fulfilled' && queues.status === 'fulfilled' && backend.status === 'fulfilled') {
    return { keys: keys.value, queues: queues.value, backend: backend.value }
  }
  if (queues.status === 'fulfilled') await queues.value.close()
  throw ([keys, queues, backend].find((r) => r.status === 'rejected') as PromiseRejectedResult).reason
}
