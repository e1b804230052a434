import type { RegionPool } from './cognito/context.js'
import type { EmulatorConfigFile, ReplicationSettings, Topology } from './config/emulator-config.js'
import type { Fault } from './faults.js'
import type { InboxEntry } from './inbox.js'
import type { ReplicationWorker } from './replication/queues.js'
import type { ReplicationWiring } from './replication/replication-wiring.js'
import type { SharedStores } from './shared-stores/shared-stores.js'
import type { SeedResult } from './start/seeding.js'
import type { SeedUser } from './store/seed-users.js'
import type { KeyRotationRequest, RotatedKeys } from './tokens/key-rotation.js'
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
  /**
   * The passkeys' relying party, when passkeys are on (by default: `localhost`, pages on
   * `http://localhost:*`): what an API beside the emulator gives `createPasskeyService`.
   */
  relyingParty?: { rpId: string; rpName?: string; origins: string[] }
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
  /**
   * Browser origins allowed to call the control API and the region endpoints; overrides the config
   * file's `allowedOrigins`. Default: the demo app's (`http://127.0.0.1:5173`, `http://localhost:5173`).
   */
  allowedOrigins?: string[]
}

export interface RunningEmulator {
  config: EmulatorConfig
  controlUrl: string
  inboxUrl: string
  /**
   * The SQS endpoint and each region's replication queue, DLQ and lifecycle-failures queue (lifecycle
   * events whose handler failed the first try and two retries, as Lambda's on-failure destination). With a worker polling them
   * (`replication` or `replicationWorker`), `drained()` resolves once every region's queue is empty,
   * delayed and in-flight messages included (the DLQs may hold messages); it rejects without one.
   */
  queues: {
    endpoint: string
    regions: { region: string; queueUrl: string; dlqUrl: string; lifecycleFailuresUrl: string }[]
    drained(): Promise<void>
  }
  /**
   * Allows one more browser origin, for an app whose port is known only after the emulator started
   * (a dev server on a random port); a TypeError when `origin` is not one.
   *
   * @example
   * emulator.allowOrigin(new URL(vite.resolvedUrls.local[0]).origin)
   */
  allowOrigin(origin: string): void
  /** Same as `POST /_regionless/faults`. */
  setFault(fault: Fault): Promise<void>
  /** Same as `GET /_regionless/inbox`: newest first. */
  inbox(): InboxEntry[]
  /**
   * Same as `POST /_regionless/keys/rotate`: publishes a new ID and access key in a pool's JWKS
   * beside the old ones, and signs new tokens with them; `retire: true` also drops the old keys.
   * A region name is short for `{ region }`.
   *
   * @example
   * const { kids } = await emulator.rotateKeys('eu-west-1') // replicas: both regions rotate
   */
  rotateKeys(target: string | KeyRotationRequest): Promise<RotatedKeys>
  /**
   * Same as `POST /_regionless/users/seed`: writes users straight into a region's pool, with no
   * trigger, quota, lifecycle event or replication (both replicas of the replicas topology get
   * them). Each user gets its own `sub`; status defaults to `CONFIRMED`. A bad request (unknown
   * region, bad or duplicate username, bad attribute) rejects with a `SeedError` and writes nothing.
   *
   * @example
   * const users = Array.from({ length: 100_000 }, (_, i) => ({
   *   username: `u_${i.toString(16).padStart(32, '0')}`,
   *   attributes: { email: `user${i}@example.com`, email_verified: 'true' },
   * }))
   * await emulator.seedUsers('eu-west-1', users) // { region, userPoolId, seeded: 100000, total: 100000 }
   */
  seedUsers(region: string, users: SeedUser[]): Promise<SeedResult>
  /**
   * Present when replication runs: `settled()` resolves once every lifecycle event in flight is handled;
   * `drained()` once replication has nothing left to do: lifecycle events handled and every region's
   * queue empty (delayed and in-flight messages included), checked at each step of the queue workers,
   * never on a timer; `tombstones` is the store every region's handlers share (a global table in AWS),
   * for in-process code that deletes users the way the backend does (`createAccountDeletion`).
   *
   * @example
   * await client.signUp({ email }) // while a peer region is down: its copy waits in the queue
   * await emulator.setFault({ region: 'us-east-1', mode: 'healthy' })
   * await emulator.replication?.drained() // the user is now in every pool
   */
  replication?: {
    settled(): Promise<void>
    drained(): Promise<void>
    tombstones: ReplicationWiring['tombstones']
  }
  /**
   * Present in the replicas topology: `settled()` resolves once every write made in the primary so far
   * shows in the secondary (after `replicaLagMs`).
   */
  replicas?: { settled(): Promise<void> }
  /**
   * The stores every region sees: spent links and challenges, and passkeys (one DynamoDB global table
   * in AWS). Another process reaches them with `createEmulatorStores(controlUrl)`.
   */
  stores: SharedStores
  close(): Promise<void>
}
