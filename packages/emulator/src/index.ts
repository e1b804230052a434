export type { AppClientConfigFile, FirstAuthFactor, PoolConfigFile } from './config/app-client-config.js'
export type { EmulatorConfigFile, RegionConfigFile, ReplicationSettings, Topology } from './config/emulator-config.js'
export { ConfigError, resolveConfig } from './config/emulator-config.js'
export { startEmulator } from './emulator.js'
export type {
  EmulatorConfig,
  EmulatorRegion,
  RunningEmulator,
  StartEmulatorOptions,
  TriggerContext,
} from './emulator-types.js'
export type { Fault, FaultAction, FaultMode } from './faults.js'
export { actionFor, FAULT_MODES, FaultError, parseFault } from './faults.js'
export type { InboxEntry, InboxMessage } from './inbox.js'
export type { ReplicationWorker } from './replication/queues.js'
export { REPLICATION_ACCESS_KEY } from './replication/replication-wiring.js'
export { createEmulatorStores } from './shared-stores/remote-stores.js'
export type { SharedStores } from './shared-stores/shared-stores.js'
export type { SeedResult } from './start/seeding.js'
export type { QuotaSettings } from './store/quotas.js'
export type { SeedUser } from './store/seed-users.js'
export { SeedError } from './store/seed-users.js'
export type { KeyRotationRequest, RotatedKeys } from './tokens/key-rotation.js'
export type { TriggerSet } from './triggers/run-trigger.js'
