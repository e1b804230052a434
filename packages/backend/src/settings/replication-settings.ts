import { envNames } from './env.js'
import type { SettingsTable } from './setting.js'
import { TRIGGER_SETTINGS } from './trigger-settings.js'

/**
 * Every setting of replication (pools topology), once: the variables the replication Lambda entry reads,
 * the deploy-config keys the construct uses, and the emulator's keys, with ranges, defaults and doc lines.
 * Keys are the fields of `ReplicationEnvConfig` and of the deploy config's `replication`.
 */
export const REPLICATION_SETTINGS = {
  region: {
    kind: 'text',
    env: 'AWS_REGION',
    required: true,
    setBy: 'lambda',
    doc: 'this region (set by Lambda)',
  },
  userPoolId: {
    kind: 'text',
    env: 'REGIONLESS_USER_POOL_ID',
    required: true,
    setBy: 'construct',
    doc: 'this region’s pool',
  },
  peers: {
    kind: 'json',
    env: 'REGIONLESS_PEER_POOLS',
    required: true,
    setBy: 'construct',
    json: '[{ "region", "userPoolId" }]',
    doc: 'every pool to copy into (this region may be included; it is skipped)',
  },
  queueUrl: {
    kind: 'text',
    env: 'REGIONLESS_REPLICATION_QUEUE_URL',
    required: true,
    setBy: 'construct',
    doc: 'this region’s replication queue',
  },
  dlqUrl: {
    kind: 'text',
    env: 'REGIONLESS_REPLICATION_DLQ_URL',
    setBy: 'construct',
    doc: 'its dead-letter queue: reconcile reports its depth',
  },
  tableName: {
    kind: 'text',
    env: TRIGGER_SETTINGS.tableName.env,
    setBy: 'construct',
    doc: 'DynamoDB table for tombstones (the single-use table)',
  },
  removePasskeys: {
    kind: 'bool',
    env: 'REGIONLESS_REMOVE_PASSKEYS',
    setBy: 'construct',
    doc: 'remove a deleted user’s passkeys from the table too (set when passkeys are on)',
  },
  ignorePrincipals: {
    kind: 'list',
    env: 'REGIONLESS_REPLICATION_IGNORE_PRINCIPALS',
    setBy: 'operator',
    option: 'ignorePrincipals',
    default: [],
    doc: 'principals (role ARNs, access key ids) whose calls are replication’s own; the user agent marker already identifies them',
  },
  enabled: {
    kind: 'bool',
    deploy: 'replication.enabled',
    default: true,
    doc: 'pools topology: deploy the replication queue, worker, lifecycle rule and reconciliation',
  },
  maxReceiveCount: {
    kind: 'int',
    deploy: 'replication.maxReceiveCount',
    emulator: 'queues.maxReceiveCount',
    min: 1,
    max: 1000,
    default: 8,
    emulatorDefault: 3,
    doc: 'receives before a message moves to the DLQ (throttled receives count too)',
  },
  reconcileSchedule: {
    kind: 'text',
    deploy: 'replication.reconcileSchedule',
    default: 'rate(6 hours)',
    doc: 'EventBridge schedule expression of the reconciliation',
  },
  reconcileListUsersRps: {
    kind: 'int',
    env: 'REGIONLESS_RECONCILE_LIST_USERS_RPS',
    deploy: 'replication.reconcileListUsersRps',
    min: 1,
    max: 1000,
    default: 10,
    doc: 'reconcile’s share of Cognito’s ListUsers quota in each region, requests per second, split over the shards in flight; the rest is left to the app (AWS’s default quota for the category is 30 RPS)',
  },
  reconcileRepairRps: {
    kind: 'int',
    env: 'REGIONLESS_RECONCILE_REPAIR_RPS',
    deploy: 'replication.reconcileRepairRps',
    min: 1,
    max: 1000,
    default: 10,
    doc: 'reconcile’s share of each region’s write quotas for repairs, repairs per second (one to three calls each; AWS’s defaults: UserCreation 50 RPS, UserUpdate 25 RPS), split like the ListUsers share',
  },
  reconcileShardConcurrency: {
    kind: 'int',
    env: 'REGIONLESS_RECONCILE_SHARD_CONCURRENCY',
    deploy: 'replication.reconcileShardConcurrency',
    min: 1,
    max: 100,
    default: 4,
    doc: 'shards reconciled at once (the Step Functions map’s concurrency)',
  },
  reconcileOtherUsernames: {
    kind: 'bool',
    env: 'REGIONLESS_RECONCILE_OTHER_USERNAMES',
    deploy: 'replication.reconcileOtherUsernames',
    default: false,
    doc: 'also reconcile usernames that are not `usernameForEmail`’s `u_…` (one extra pass over each pool; for pools with users made by hand)',
  },
  reconcileMissing: {
    kind: 'text',
    env: 'REGIONLESS_RECONCILE_MISSING',
    deploy: 'replication.reconcileMissing',
    choices: ['report', 'create'],
    default: 'report',
    doc: 'what the scheduled reconciliation does with a user missing from some pools and no tombstone: `report` it (metric `ReplicationUnresolved`, alarmed), or `create` it there, which brings back users who deleted themselves (`DeleteUser` leaves no tombstone)',
  },
  lagAlarmMs: {
    kind: 'int',
    deploy: 'replication.lagAlarmMs',
    min: 1000,
    max: 86_400_000,
    default: 300_000,
    doc: 'lag alarm threshold in ms (also the queue-age alarm’s, in seconds)',
  },
  lifecycleConcurrency: {
    kind: 'int',
    deploy: 'replication.lifecycleConcurrency',
    min: 1,
    max: 1000,
    doc: 'reserved concurrency of the lifecycle function; `1` applies one change at a time, in order, narrowing races of two writers on one copy ([replication.md](replication.md#guarantees-and-limits)); unset because new accounts often cannot reserve any',
  },
  directTimeoutMs: {
    kind: 'int',
    option: 'timeoutMs',
    emulator: 'replication.directTimeoutMs',
    min: 1,
    max: 5000,
    emulatorDefault: 600,
    doc: 'per Cognito call of the Post confirmation trigger (`createReplicateOnConfirm`’s `timeoutMs`)',
  },
  directBudgetMs: {
    kind: 'int',
    option: 'directBudgetMs',
    emulator: 'replication.directBudgetMs',
    min: 1,
    max: 5000,
    emulatorDefault: 2000,
    doc: 'budget of the Post confirmation trigger’s direct attempts as a whole; the rest is queued',
  },
  workerTimeoutMs: {
    kind: 'int',
    option: 'timeoutMs',
    emulator: 'replication.workerTimeoutMs',
    min: 1,
    max: 60_000,
    emulatorDefault: 2000,
    doc: 'per Cognito call of the queue worker and of the lifecycle handler',
  },
  throttleBackoff: {
    kind: 'backoff',
    option: 'throttleBackoff',
    emulator: 'replication.throttleBackoff',
    min: 0,
    max: 43_200,
    emulatorDefault: { baseSeconds: 1, maxSeconds: 30 },
    doc: 'worker back-off after a throttled receive: base × 2^(receives − 1) seconds, capped',
  },
  transientBackoff: {
    kind: 'backoff',
    option: 'transientBackoff',
    emulator: 'replication.transientBackoff',
    min: 0,
    max: 43_200,
    emulatorDefault: { baseSeconds: 1, maxSeconds: 10 },
    doc: 'the same after a transient failure (network, 5xx, time-out)',
  },
  lifecycleDelayMs: {
    kind: 'int',
    emulator: 'replication.lifecycleDelayMs',
    min: 0,
    max: 60_000,
    emulatorDefault: 0,
    doc: 'delay before EventBridge delivers a lifecycle event',
  },
} as const satisfies SettingsTable

export type ReplicationSettingKey = keyof typeof REPLICATION_SETTINGS

/**
 * The variables of the replication handlers, by field of `ReplicationEnvConfig`. The construct sets those
 * marked `setBy: 'construct'`; Lambda sets `AWS_REGION`.
 */
export const REPLICATION_ENV = envNames(REPLICATION_SETTINGS)
