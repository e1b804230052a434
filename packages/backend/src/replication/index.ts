// `@regionless/backend/replication`: replication between the pools of every
// region (pools topology) and account deletion, as handlers to wire yourself.
// The deploy app bundles `../lambda/replication.ts` (configured from the environment) and
// operators use the `regionless-backend` CLI; tests import the modules here directly.
export type { Peer } from './apply-change.js'
export {
  type Checkpoint,
  CheckpointMismatchError,
  createFileCheckpoint,
  createMemoryCheckpoint,
} from './checkpoint.js'
export type { CloudTrailDetail, CognitoApiCallEvent } from './cloudtrail-event.js'
export {
  type ConfirmAccessToken,
  createAccessTokenConfirmation,
  type TokenConfirmation,
  type TokenIssuer,
} from './confirm-token.js'
export { type AccountDeletionOptions, type AccountDeletionResult, createAccountDeletion } from './delete-account.js'
export {
  createLifecycleReplicator,
  type LifecycleOptions,
  type LifecycleResult,
  REPLICATION_USER_AGENT,
} from './lifecycle.js'
export {
  destinationRecord,
  type LifecycleFailure,
  lifecycleFailureOf,
  UnreadableFailureError,
} from './lifecycle-failure.js'
export { emulatorInvoke, LifecycleInvokeError, lambdaInvoke } from './lifecycle-invoke.js'
export type { ReplicationLog, ReplicationLogEntry } from './log.js'
export type { MetricsSink } from './metrics.js'
export type { ReplicationQueue } from './queue.js'
export {
  backfillPool,
  type ReconcileOptions,
  type ReconcileReport,
  reconcilePools,
  type ShardingOptions,
  summarise,
} from './reconcile.js'
export {
  createReconcileSteps,
  type ReconcileEvent,
  type ReconcileStepsOptions,
  ShardRepairError,
} from './reconcile-steps.js'
export {
  type LifecycleInvoke,
  type LifecycleRedriveOptions,
  type LifecycleRedriveReport,
  redriveLifecycleFailures,
} from './redrive-lifecycle.js'
export {
  createReplicateOnConfirm,
  type ReplicateOnConfirmOptions,
  SIGN_UP_SETTLE_SECONDS,
} from './replicate-on-confirm.js'
export { progressLine, type RunProgress } from './run-progress.js'
export {
  createDynamoTombstoneStore,
  createMemoryTombstoneStore,
  type DynamoTombstoneOptions,
  type TombstoneStore,
} from './tombstones.js'
export { createReplicationWorker, type ReplicationWorkerOptions } from './worker.js'
