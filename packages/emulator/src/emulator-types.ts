import type { RegionPool } from './cognito/context.js'
import type { EmulatorConfigFile, ReplicationSettings, Topology } from './config/emulator-config.js'
import type { Fault } from './faults.js'
import type { InboxEntry } from './inbox.js'
import type { ReplicationWorker } from './replication/queues.js'
import type { ReplicationWiring } from './replication/replication-wiring.js'
import type { TriggerSet } from './triggers/run-trigger.js'

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
