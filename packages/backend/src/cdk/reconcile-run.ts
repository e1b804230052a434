import { type CfnElement, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks'
import { Construct, type IConstruct } from 'constructs'

export interface ReconcileRunProps {
  name: string
  /** The reconcile function: it answers `{ step: 'plan' | 'shard' | 'report' }` (replication/reconcile-steps.ts). */
  reconcile: lambda.IFunction
  /** Shards in flight at once. */
  shardConcurrency: number
  removalPolicy: RemovalPolicy
}

/**
 * The scheduled reconcile on AWS's own fan-out: a Step Functions state
 * machine plans the shards, reconciles them in a Distributed Map (each shard
 * a Lambda invocation, retried on its own), then reports. A run that still
 * fails can be redriven (`aws stepfunctions redrive-execution`): only its
 * unfinished shards run again. Distributed Map runs each item as a child
 * execution, so a run of thousands of shards stays within the history limit.
 */
export class ReconcileRun extends Construct {
  readonly stateMachine: sfn.StateMachine
  readonly alarms: cloudwatch.Alarm[]

  constructor(scope: Construct, id: string, props: ReconcileRunProps) {
    super(scope, id)
    const step = (stateId: string, payload: Record<string, unknown>, retry: sfn.RetryProps) => {
      const task = new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: props.reconcile,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
      })
      task.addRetry(retry)
      return task
    }
    const plan = step(
      'PlanShards',
      { step: 'plan' },
      { maxAttempts: 3, interval: Duration.seconds(10), backoffRate: 2 },
    )
    const shard = step(
      'ReconcileShard',
      { step: 'shard', 'shard.$': '$.shard' },
      // A shard that keeps failing (throttled repairs, a pool down) waits minutes, not seconds, between tries.
      { maxAttempts: 4, interval: Duration.seconds(60), backoffRate: 2, jitterStrategy: sfn.JitterType.FULL },
    )
    const shards = new sfn.DistributedMap(this, 'Shards', {
      itemsPath: sfn.JsonPath.stringAt('$.shards'),
      maxConcurrency: props.shardConcurrency,
      // Each shard publishes its own metrics and logs; the map keeps no results (thousands would not fit the state).
      resultPath: sfn.JsonPath.DISCARD,
    })
    shards.itemProcessor(shard)
    const report = step(
      'Report',
      { step: 'report' },
      { maxAttempts: 3, interval: Duration.seconds(10), backoffRate: 2 },
    )
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    })
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${props.name}-reconcile-${Stack.of(this).region}`,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(shards).next(report)),
      timeout: Duration.hours(23),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    })
    this.acknowledgeRoleWildcards(props.reconcile)
    const failed = new cloudwatch.Alarm(this, 'FailedAlarm', {
      alarmName: `${props.name}-reconcile-failed-${Stack.of(this).region}`,
      alarmDescription:
        'A scheduled reconcile failed, timed out or was aborted: read the failed shards in its execution, fix the cause, and redrive it',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period: Duration.hours(1) }),
          timedOut: this.stateMachine.metricTimedOut({ period: Duration.hours(1) }),
          aborted: this.stateMachine.metricAborted({ period: Duration.hours(1) }),
        },
        period: Duration.hours(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    this.alarms = [failed]
  }

  /**
   * The state machine role, as CDK writes it, holds three wildcards cdk-nag asks about: invoking the
   * reconcile function covers its versions (`<function>:*`); a Distributed Map describes and stops its
   * own child executions (`execution:<this machine>:*`); X-Ray has no resource-level permissions (`*`).
   */
  private acknowledgeRoleWildcards(reconcile: lambda.IFunction) {
    const stack = Stack.of(this)
    const id = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement)
    const machine = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${id(this.stateMachine)}"}]}]}`
    const executions = `arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:${machine}`
    const reason =
      'Written by CDK for a Distributed Map that invokes one function: its versions, this machine’s own child executions, and X-Ray, which has no resource-level permissions.'
    for (const resource of ['*', `<${id(reconcile)}.Arn>:*`, `${executions}:*`, `${executions}/*:*`]) {
      Validations.of(this.stateMachine).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason })
    }
  }
}
