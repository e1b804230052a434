import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources'
import * as sns from 'aws-cdk-lib/aws-sns'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import { LIFECYCLE_EVENTS } from '../replication/cloudtrail-event.js'
import { METRICS_NAMESPACE, REPLICATION_METRIC_NAMES } from '../replication/metrics.js'
import { environmentOf } from '../settings/env.js'
import { REPLICATION_SETTINGS } from '../settings/replication-settings.js'
import type { DeployConfig } from './config.js'
import type { HandlerSpec } from './functions.js'
import { acknowledgeFailureQueue } from './nag-suppressions.js'
import { ReconcileRun } from './reconcile-run.js'
import { grantTableAccess, PASSKEY_TABLE_ACCESS, TABLE_ACCESS, tableStatement } from './table-access.js'

/** Where each replication handler lives: an entry file and its export. */
export interface ReplicationEntries {
  postConfirmation: { entry: string; exportName: string }
  worker: { entry: string; exportName: string }
  lifecycle: { entry: string; exportName: string }
  reconcile: { entry: string; exportName: string }
  /** `DELETE /me` on the HTTP API: a person deletes their own account from every pool. */
  accountDeletion: { entry: string; exportName: string }
}

/** The metrics the alarms watch (published by the handlers as EMF, without dimensions). */
export const REPLICATION_METRICS = {
  namespace: METRICS_NAMESPACE,
  lagMs: REPLICATION_METRIC_NAMES.lag,
  unresolved: REPLICATION_METRIC_NAMES.unresolved,
} as const

/** The CloudTrail calls the lifecycle rule forwards: exactly those the lifecycle handler acts on. */
export const LIFECYCLE_EVENT_NAMES = Object.keys(LIFECYCLE_EVENTS)

// What each replication function calls on a pool, read from the code (apply-change.ts and its callers).
// An upsert reads the copy, creates it (then a permanent throwaway password, so the copy is CONFIRMED),
// or updates and removes attributes.
const UPSERT_ACTIONS = [
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDeleteUserAttributes',
]
// Any change: an upsert, disable/enable, delete.
const APPLY_ACTIONS = [
  ...UPSERT_ACTIONS,
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDeleteUser',
]

/** Cognito actions per function, on this region's pool (`local`) and on the peer pools. */
export const REPLICATION_COGNITO_ACTIONS = {
  // Stamps the new user here; upserts the copy in every peer (replicate-on-confirm.ts).
  postConfirmation: { local: ['cognito-idp:AdminUpdateUserAttributes'], peers: UPSERT_ACTIONS },
  // Applies any message to any target pool, this one included (repairs of its own stamp).
  worker: { local: APPLY_ACTIONS, peers: APPLY_ACTIONS },
  // Reads the changed user here (by name or by sub) and stamps it; the peers hear of it through the queue.
  lifecycle: {
    local: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers', 'cognito-idp:AdminUpdateUserAttributes'],
    peers: [],
  },
  // Sizes every pool (the shard depth, pool-size.ts), lists it shard by shard and repairs whichever pool holds
  // the drift (reconcile-shard.ts).
  reconcile: {
    local: ['cognito-idp:DescribeUserPool', 'cognito-idp:ListUsers', ...APPLY_ACTIONS],
    peers: ['cognito-idp:DescribeUserPool', 'cognito-idp:ListUsers', ...APPLY_ACTIONS],
  },
  // Deletes the account in every pool; GetUser, which confirms the token, takes the token as its credential.
  accountDeletion: { local: ['cognito-idp:AdminDeleteUser'], peers: ['cognito-idp:AdminDeleteUser'] },
} as const satisfies Record<string, { local: readonly string[]; peers: readonly string[] }>

/** How long EventBridge keeps trying to deliver a lifecycle event, and Lambda to run it. */
const LIFECYCLE_MAX_EVENT_AGE = Duration.hours(6)

/**
 * An SQS on-failure destination that grants `sqs:SendMessage` only (granted by the caller);
 * `SqsDestination` would also grant `GetQueueAttributes` and `GetQueueUrl`, which Lambda does not need.
 */
function sendOnlyDestination(queue: sqs.IQueue): lambda.IDestination {
  return { bind: () => ({ destination: queue.queueArn }) }
}

/** The replication functions that queue messages (`sqs:SendMessage`, which also covers SendMessageBatch). */
const SENDERS = ['postConfirmation', 'lifecycle', 'accountDeletion'] as const

export interface ReplicationProps {
  config: DeployConfig
  userPoolId: string
  userPoolArn: string
  /** The single-use table, also home of the replication tombstones. */
  tableName: string
  /** Peer pools the config already knows; the grants name exactly these. */
  peers: Array<{ region: string; userPoolId: string }>
  entries: ReplicationEntries
  /** Passkeys are on: the lifecycle and account-deletion functions remove a deleted user's passkeys. */
  passkeys?: boolean
  createFunction: (spec: HandlerSpec) => lambda.Function
  removalPolicy: RemovalPolicy
}

/**
 * Replication for the pools topology in one region: the queue and its DLQ, the post-confirmation,
 * worker, lifecycle (CloudTrail → EventBridge) and reconcile handlers, and the alarms.
 */
export class Replication extends Construct {
  readonly queue: sqs.Queue
  readonly deadLetterQueue: sqs.Queue
  /** Lifecycle events that failed every try: Lambda's on-failure destination and the rule's DLQ. */
  readonly lifecycleFailures: sqs.Queue
  readonly postConfirmation: lambda.Function
  readonly worker: lambda.Function
  readonly lifecycle: lambda.Function
  readonly reconcile: lambda.Function
  /** The scheduled reconcile: plan the shards, reconcile them in a Distributed Map, report. */
  readonly reconcileRun: sfn.StateMachine
  readonly accountDeletion: lambda.Function
  readonly alarms: cloudwatch.Alarm[]

  constructor(scope: Construct, id: string, props: ReplicationProps) {
    super(scope, id)
    const { config, entries } = props
    const stack = Stack.of(this)
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${config.name}-replication-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    })
    const workerTimeout = Duration.seconds(30)
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${config.name}-replication`,
      // Six times the worker's timeout, as Lambda's SQS guidance asks, so a slow batch is not received twice.
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: config.replication.maxReceiveCount },
    })
    const environment = environmentOf(REPLICATION_SETTINGS, {
      userPoolId: props.userPoolId,
      peers: props.peers,
      queueUrl: this.queue.queueUrl,
      dlqUrl: this.deadLetterQueue.queueUrl,
      tableName: props.tableName,
      reconcileListUsersRps: config.replication.reconcileListUsersRps,
      reconcileRepairRps: config.replication.reconcileRepairRps,
      reconcileShardConcurrency: config.replication.reconcileShardConcurrency,
      reconcileOtherUsernames: config.replication.reconcileOtherUsernames,
      reconcileMissing: config.replication.reconcileMissing,
      ...(props.passkeys && { removePasskeys: true }),
    })
    const make = (name: keyof ReplicationEntries, fnId: string, timeout: Duration) =>
      props.createFunction({ id: fnId, ...entries[name], environment, timeout })
    this.postConfirmation = make('postConfirmation', 'PostConfirmation', Duration.seconds(5))
    this.worker = make('worker', 'ReplicationWorker', workerTimeout)
    this.lifecycle = make('lifecycle', 'Lifecycle', Duration.seconds(30))
    this.lifecycleFailures = new sqs.Queue(this, 'LifecycleFailures', {
      queueName: `${config.name}-lifecycle-failures`,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    })
    acknowledgeFailureQueue(this.lifecycleFailures)
    // EventBridge invokes the function asynchronously: its own retry policy covers delivery only. A
    // function error gets Lambda's two retries, then the event (inside a destination record) goes here
    // instead of being dropped; `regionless-backend redrive-lifecycle` replays it.
    this.lifecycle.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: LIFECYCLE_MAX_EVENT_AGE,
      onFailure: sendOnlyDestination(this.lifecycleFailures),
    })
    if (config.replication.lifecycleConcurrency !== undefined) {
      ;(this.lifecycle.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions =
        config.replication.lifecycleConcurrency
    }
    this.reconcile = make('reconcile', 'Reconcile', Duration.minutes(15))
    this.accountDeletion = make('accountDeletion', 'AccountDeletion', Duration.seconds(15))

    const peerArns = props.peers.map((p) =>
      stack.formatArn({ service: 'cognito-idp', region: p.region, resource: 'userpool', resourceName: p.userPoolId }),
    )
    const tableArn = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: props.tableName })
    const functions = {
      postConfirmation: this.postConfirmation,
      worker: this.worker,
      lifecycle: this.lifecycle,
      reconcile: this.reconcile,
      accountDeletion: this.accountDeletion,
    }
    for (const [name, fn] of Object.entries(functions) as [keyof typeof functions, lambda.Function][]) {
      fn.addToRolePolicy(tableStatement(tableArn, TABLE_ACCESS[name]))
      if (props.passkeys && (name === 'lifecycle' || name === 'accountDeletion')) {
        grantTableAccess(fn, tableArn, PASSKEY_TABLE_ACCESS[name])
      }
      const { local, peers } = REPLICATION_COGNITO_ACTIONS[name]
      if (peers.length > 0 && peerArns.length > 0) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...peers], resources: peerArns }))
      }
      // A separate policy, not the function's default one: the pool names its post-confirmation trigger,
      // so that function must not wait on a policy that names the pool.
      new iam.Policy(this, `${fn.node.id}LocalPool`, {
        statements: [new iam.PolicyStatement({ actions: [...local], resources: [props.userPoolArn] })],
        roles: [fn.role!],
      })
    }
    for (const name of SENDERS) {
      functions[name].addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
      )
    }
    // Lambda sends the on-failure record with the function's own role.
    this.lifecycle.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.lifecycleFailures.queueArn] }),
    )
    // The reconcile report includes the DLQ depth.
    this.deadLetterQueue.grant(this.reconcile, 'sqs:GetQueueAttributes')
    this.worker.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }),
    )

    new events.Rule(this, 'LifecycleRule', {
      description: 'User-directory changes in this region’s pool (CloudTrail management events)',
      eventPattern: {
        source: ['aws.cognito-idp'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['cognito-idp.amazonaws.com'], eventName: LIFECYCLE_EVENT_NAMES },
      },
      // Events EventBridge could not deliver at all (throttled past the max age, permissions) land with the
      // function's failures: one queue, one alarm, one redrive.
      targets: [
        new targets.LambdaFunction(this.lifecycle, {
          retryAttempts: 8,
          maxEventAge: LIFECYCLE_MAX_EVENT_AGE,
          deadLetterQueue: this.lifecycleFailures,
        }),
      ],
    })
    const run = new ReconcileRun(this, 'ReconcileRun', {
      name: config.name,
      reconcile: this.reconcile,
      shardConcurrency:
        config.replication.reconcileShardConcurrency ?? REPLICATION_SETTINGS.reconcileShardConcurrency.default,
      removalPolicy: props.removalPolicy,
    })
    this.reconcileRun = run.stateMachine
    new events.Rule(this, 'ReconcileSchedule', {
      description: 'Repairs drift between this pool and its peers',
      schedule: events.Schedule.expression(config.replication.reconcileSchedule),
      targets: [new targets.SfnStateMachine(run.stateMachine)],
    })
    this.alarms = [...this.createAlarms(config), ...run.alarms]
    this.notify(config, run.alarms)
  }

  private createAlarms(config: DeployConfig): cloudwatch.Alarm[] {
    const region = Stack.of(this).region
    const dlq = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${config.name}-replication-dlq-${region}`,
      alarmDescription: 'Replication messages failed every retry; inspect and redrive the DLQ',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    const lag = new cloudwatch.Alarm(this, 'LagAlarm', {
      alarmName: `${config.name}-replication-lag-${region}`,
      alarmDescription: 'Changes take too long to reach the peer pools',
      metric: new cloudwatch.Metric({
        namespace: REPLICATION_METRICS.namespace,
        metricName: REPLICATION_METRICS.lagMs,
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: config.replication.lagAlarmMs,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    const age = new cloudwatch.Alarm(this, 'OldestMessageAlarm', {
      alarmName: `${config.name}-replication-backlog-${region}`,
      alarmDescription: 'The replication queue holds a message older than the lag threshold',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
      threshold: Math.ceil(config.replication.lagAlarmMs / 1000),
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    const unresolved = new cloudwatch.Alarm(this, 'UnresolvedAlarm', {
      alarmName: `${config.name}-replication-unresolved-${region}`,
      alarmDescription:
        'Reconcile found users missing from some pools with no tombstone; decide with regionless-backend reconcile --missing',
      metric: new cloudwatch.Metric({
        namespace: REPLICATION_METRICS.namespace,
        metricName: REPLICATION_METRICS.unresolved,
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // The job runs a few times a day: no data between runs is not an alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    const lifecycleFailures = new cloudwatch.Alarm(this, 'LifecycleFailuresAlarm', {
      alarmName: `${config.name}-lifecycle-failures-${region}`,
      alarmDescription:
        'Lifecycle events (attribute changes, disables, deletes) failed every try; fix the cause, then regionless-backend redrive-lifecycle',
      metric: this.lifecycleFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    const alarms = [dlq, lag, age, unresolved, lifecycleFailures]
    this.notify(config, alarms)
    return alarms
  }

  private topic?: sns.ITopic

  /** Sends the alarms to the deployment's alarm topic, when it has one. */
  private notify(config: DeployConfig, alarms: cloudwatch.Alarm[]) {
    if (!config.alarmTopicArn) return
    const region = Stack.of(this).region
    this.topic ??= sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn.replaceAll('{region}', region))
    for (const alarm of alarms) alarm.addAlarmAction(new actions.SnsAction(this.topic))
  }
}
