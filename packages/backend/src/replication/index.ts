export {
  type ApplyOptions,
  type ApplyResult,
  applyChange,
  type Change,
  type Peer,
  ReplicationPendingError,
} from './apply-change.js'
export {
  type AttributeMap,
  CHANGED_AT_ATTRIBUTE,
  ENABLED_AT_ATTRIBUTE,
  hasUnstampedEdit,
  replicatedAttributes,
  versionStamp,
} from './attributes.js'
export { type CliIo, runCli } from './cli.js'
export { type CliArgs, parseCliArgs, USAGE, UsageError } from './cli-args.js'
export { type CloudTrailDetail, type CognitoApiCallEvent, LIFECYCLE_EVENTS } from './cloudtrail-event.js'
export {
  attributeVersion,
  compareAttributeVersions,
  decideDelete,
  decideState,
  decideUpsert,
  type UserSnapshot,
} from './conflict.js'
export { type AccountDeletionOptions, type AccountDeletionResult, createAccountDeletion } from './delete-account.js'
export { backoffSeconds, classifyFailure, type FailureClass } from './failures.js'
export {
  type AuthorizedHttpEvent,
  createReplicationHandlersFromEnv,
  deleteAccountRoute,
  parseReplicationEnv,
  REPLICATION_ENV,
  type ReplicationClients,
  type ReplicationEnvConfig,
} from './from-env.js'
export {
  createLifecycleReplicator,
  type LifecycleOptions,
  type LifecycleResult,
  REPLICATION_USER_AGENT,
} from './lifecycle.js'
export type { ReplicationLog, ReplicationLogEntry } from './log.js'
export {
  createMessage,
  MESSAGE_KINDS,
  type MessageKind,
  PoisonMessageError,
  parseMessage,
  type ReplicationMessage,
} from './message.js'
export { emfLine, type MetricsSink, REPLICATION_METRIC_NAMES } from './metrics.js'
export { enqueue, type ReplicationQueue } from './queue.js'
export { backfillPool, type ReconcileOptions, type ReconcileReport, reconcilePools, summarise } from './reconcile.js'
export { planRepairs, type Repair } from './reconcile-plan.js'
export { type RedriveOptions, type RedriveReport, redriveDeadLetters } from './redrive.js'
export {
  createReplicateOnConfirm,
  type ReplicateOnConfirmOptions,
  SIGN_UP_SETTLE_SECONDS,
} from './replicate-on-confirm.js'
export { listPoolUsers } from './run-repairs.js'
export { createDynamoTombstoneStore, createMemoryTombstoneStore, type TombstoneStore } from './tombstones.js'
export { createReplicationWorker, type ReplicationWorkerOptions } from './worker.js'
