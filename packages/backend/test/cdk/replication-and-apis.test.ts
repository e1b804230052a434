import { Match, type Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { LIFECYCLE_EVENT_NAMES, REPLICATION_METRICS } from '../../src/cdk/replication.js'
import { METRICS_NAMESPACE, REPLICATION_METRIC_NAMES } from '../../src/replication/metrics.js'
import { REPLICATION_ENV, REPLICATION_SETTINGS } from '../../src/settings/replication-settings.js'
import type { Setting } from '../../src/settings/setting.js'
import type { Cfn } from '../helpers/cdk-fixtures.js'
import { exampleConfig, synthExample, templatesOf } from '../helpers/cdk-fixtures.js'

let eu: Template

// One synth of the example app shared by the tests: ~5 s on an idle machine.
beforeAll(() => {
  const { app, stacks } = synthExample()
  ;[eu] = templatesOf(app, [stacks.regions[0]!]) as [Template]
}, 120_000)

function fn(name: string): { id: string; props: Record<string, Cfn> } {
  const [id, res] = Object.entries(
    eu.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `regionless-${name}` } }),
  )[0]!
  return { id, props: (res as Cfn).Properties }
}

function policyStatements(fnName: string): Array<Record<string, Cfn>> {
  const roleId = fn(fnName).props.Role['Fn::GetAtt'][0]
  return Object.values(eu.findResources('AWS::IAM::Policy'))
    .filter((p: Cfn) => p.Properties.Roles.some((r: Cfn) => r.Ref === roleId))
    .flatMap((p: Cfn) => p.Properties.PolicyDocument.Statement)
}

describe('replication', () => {
  it('has a queue with a dead-letter queue after maxReceiveCount, both encrypted and TLS-only', () => {
    eu.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'regionless-replication',
      VisibilityTimeout: 180,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 8 },
    })
    eu.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'regionless-replication-dlq',
      MessageRetentionPeriod: 1209600,
    })
    eu.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      3,
    )
  })

  it('keeps lifecycle events that failed every try in an encrypted, TLS-only failures queue, and alarms on it', () => {
    const [queueId] = Object.keys(
      eu.findResources('AWS::SQS::Queue', { Properties: { QueueName: 'regionless-lifecycle-failures' } }),
    )
    expect(queueId).toBeDefined()
    const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] }
    eu.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'regionless-lifecycle-failures',
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    })
    // A function error: Lambda's two async retries, then the destination record goes to the queue.
    eu.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn('lifecycle').id },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    })
    // An event EventBridge could not deliver: the rule target's DLQ is the same queue.
    eu.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn('lifecycle').id, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: { Arn: queueArn },
        }),
      ],
    })
    // Only this rule may send to it, over TLS.
    eu.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    })
    // The function's role sends the on-failure record: SendMessage on that queue, nothing else on it.
    const onQueue = policyStatements('lifecycle').filter((s) => JSON.stringify(s.Resource).includes(queueId!))
    expect(onQueue).toEqual([expect.objectContaining({ Action: 'sqs:SendMessage', Resource: queueArn })])
    eu.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'regionless-lifecycle-failures-eu-west-1',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    })
  })

  it('wires every replication alarm, the new ones included, to the alarm topic', () => {
    const topic = 'arn:aws:sns:{region}:111122223333:ops'
    const { app, stacks } = synthExample(exampleConfig({ alarmTopicArn: topic }))
    const [wired] = templatesOf(app, [stacks.regions[0]!]) as [Template]
    const alarms = Object.values(wired.findResources('AWS::CloudWatch::Alarm')) as Cfn[]
    const names = alarms.map((a) => a.Properties.AlarmName)
    expect(names).toEqual(
      expect.arrayContaining([
        'regionless-lifecycle-failures-eu-west-1',
        'regionless-replication-unresolved-eu-west-1',
      ]),
    )
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions, alarm.Properties.AlarmName).toEqual([
        topic.replace('{region}', 'eu-west-1'),
      ])
    }
  })

  it('feeds the worker from the queue with partial batch failures', () => {
    eu.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn('replication-worker').id },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    })
  })

  it('gives the replication handlers the queue, this pool and the peer pools', () => {
    const env = fn('post-confirmation').props.Environment.Variables
    expect(JSON.parse(env[REPLICATION_ENV.peers])).toEqual([{ region: 'us-east-1', userPoolId: 'us-east-1_EXAMPLE02' }])
    const [poolId] = Object.keys(eu.findResources('AWS::Cognito::UserPool'))
    expect(env[REPLICATION_ENV.userPoolId]).toEqual({ Ref: poolId })
    expect(env[REPLICATION_ENV.queueUrl]).toEqual({ Ref: expect.stringMatching(/^AuthReplicationQueue/) })
    expect(env[REPLICATION_ENV.dlqUrl]).toEqual({ Ref: expect.stringMatching(/^AuthReplicationDeadLetterQueue/) })
    expect(env[REPLICATION_ENV.tableName]).toBe('regionless-single-use')
  })

  it('sets exactly the variables REPLICATION_SETTINGS says the construct sets, and every required one', () => {
    const env = fn('replication-worker').props.Environment.Variables
    const rows = (Object.values(REPLICATION_SETTINGS) as Setting[]).filter((s) => s.env !== undefined)
    const byConstruct = rows.filter((s) => s.setBy === 'construct').map((s) => s.env)
    expect(Object.keys(env).filter((name) => name !== 'NODE_OPTIONS')).toEqual(byConstruct)
    // Lambda sets AWS_REGION; every other required variable comes from the construct.
    const required = rows.filter((s) => s.required).map((s) => s.env)
    expect(required.filter((name) => !byConstruct.includes(name))).toEqual(['AWS_REGION'])
  })

  it('leaves ignorePrincipals to the operator: no function of the stack sets its variable', () => {
    // Replication's own calls are told apart by their user agent; a principal list is the operator's extra.
    const name = REPLICATION_SETTINGS.ignorePrincipals.env
    const functions = eu.findResources('AWS::Lambda::Function') as Record<string, Cfn>
    const withReplicationEnv = Object.entries(functions).filter(
      ([, f]) => f.Properties.Environment?.Variables?.[REPLICATION_ENV.queueUrl] !== undefined,
    )
    // The lifecycle handler (which reads the list), the worker, Post confirmation, reconcile, account deletion.
    expect(withReplicationEnv.length).toBeGreaterThanOrEqual(4)
    expect(withReplicationEnv.filter(([, f]) => name in f.Properties.Environment.Variables).map(([id]) => id)).toEqual(
      [],
    )
  })

  it('lets cognito-idp admin actions touch only the peer pool', () => {
    const statements = policyStatements('replication-worker')
    // The statement of the peers (the worker's own pool has its own policy, checked below).
    const cognito = policyStatements('replication-worker').find(
      (s) =>
        [s.Action].flat().includes('cognito-idp:AdminCreateUser') && !JSON.stringify(s.Resource).includes('UserPool'),
    )!
    expect(cognito.Action).toContain('cognito-idp:AdminSetUserPassword')
    expect(cognito.Action).not.toContain('cognito-idp:AdminSetUserSettings')
    expect(JSON.stringify(cognito.Resource)).toContain(':cognito-idp:us-east-1:')
    expect(JSON.stringify(cognito.Resource)).toContain('userpool/us-east-1_EXAMPLE02')
    expect(JSON.stringify(cognito.Resource)).not.toContain('*')
    const sqs = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('sqs:')))
    for (const s of sqs) expect(s.Resource['Fn::GetAtt'][1]).toBe('Arn')
    const table = statements.find((s) => [s.Action].flat().includes('dynamodb:GetItem'))!
    expect(JSON.stringify(table.Resource)).toContain(':table/regionless-single-use')
  })

  it('lets replication read and stamp users of this pool only, in a policy the trigger does not wait on', () => {
    const [poolId] = Object.keys(eu.findResources('AWS::Cognito::UserPool'))
    // Post confirmation only stamps the new user here (test/cdk/least-privilege.test.ts has every function).
    eu.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'cognito-idp:AdminUpdateUserAttributes',
            Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: poolId }])] },
          }),
        ],
      },
      Roles: [{ Ref: fn('post-confirmation').props.Role['Fn::GetAtt'][0] }],
    })
    // Only the worker may write users of this pool (it applies messages to every target, its own included).
    eu.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: Match.arrayWith(['cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUserAttributes']),
            Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: poolId }])] },
          }),
        ],
      },
      Roles: [{ Ref: fn('replication-worker').props.Role['Fn::GetAtt'][0] }],
    })
  })

  it('routes CloudTrail cognito-idp calls to the lifecycle handler and schedules reconciliation', () => {
    expect(LIFECYCLE_EVENT_NAMES).toEqual(
      expect.arrayContaining([
        'AdminUpdateUserAttributes',
        'AdminDisableUser',
        'AdminEnableUser',
        'AdminDeleteUser',
        'DeleteUser',
      ]),
    )
    eu.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cognito-idp'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['cognito-idp.amazonaws.com'], eventName: LIFECYCLE_EVENT_NAMES },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn('lifecycle').id, 'Arn'] } })],
    })
    const machines = eu.findResources('AWS::StepFunctions::StateMachine')
    const [machineId] = Object.keys(machines)
    expect(Object.keys(machines)).toHaveLength(1)
    eu.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: exampleConfig().replication.reconcileSchedule,
      Targets: [Match.objectLike({ Arn: { Ref: machineId } })],
    })
  })

  it('reconciles on a schedule as a Step Functions Distributed Map of shards, each a retried Lambda call', () => {
    const [machine] = Object.values(eu.findResources('AWS::StepFunctions::StateMachine')) as Cfn[]
    // The definition is a Fn::Join of strings and the function's ARN: its text is enough to read the states.
    const definition = JSON.stringify(machine.Properties.DefinitionString)
    expect(definition).toContain('\\"StartAt\\":\\"PlanShards\\"')
    expect(definition).toContain('\\"Mode\\":\\"DISTRIBUTED\\"')
    expect(definition).toContain(
      `\\"MaxConcurrency\\":${exampleConfig().replication.reconcileShardConcurrency ?? REPLICATION_SETTINGS.reconcileShardConcurrency.default}`,
    )
    expect(definition).toContain('\\"ItemsPath\\":\\"$.shards\\"')
    expect(definition).toContain('\\"shard.$\\":\\"$.shard\\"')
    expect(definition).toContain('\\"ErrorEquals\\":[\\"States.ALL\\"],\\"IntervalSeconds\\":60,\\"MaxAttempts\\":4')
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true })
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL')
    const alarms = Object.values(eu.findResources('AWS::CloudWatch::Alarm')) as Cfn[]
    expect(alarms.map((a) => a.Properties.AlarmName)).toContain('regionless-reconcile-failed-eu-west-1')
  })

  it('serves DELETE /me with account deletion: AdminDeleteUser on the pools, send to the queue, put a tombstone', () => {
    const route = Object.values(
      eu.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: 'DELETE /me' } }),
    ) as Cfn[]
    expect(route).toHaveLength(1)
    expect(route[0].Properties.AuthorizationType).toBe('CUSTOM')
    expect(fn('account-deletion').props.Handler).toBe('index.accountDeletion')
    const statements = policyStatements('account-deletion')
    const actions = statements.flatMap((s) => [s.Action].flat()).filter((a: string) => !a.startsWith('logs:'))
    expect([...new Set(actions.filter((a: string) => a.startsWith('cognito-idp:')))]).toEqual([
      'cognito-idp:AdminDeleteUser',
    ])
    // A tombstone put; with passkeys on (the example), the user's passkeys deleted.
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
    ])
    expect(actions.every((a: string) => /^(cognito-idp|dynamodb|sqs):/.test(a))).toBe(true)
    // This pool's grant is in its own policy (like every replication function's), the peers' in another.
    const resources = JSON.stringify(
      statements.filter((s) => s.Action === 'cognito-idp:AdminDeleteUser').map((s) => s.Resource),
    )
    const [poolId] = Object.keys(eu.findResources('AWS::Cognito::UserPool'))
    expect(resources).toContain(JSON.stringify({ Ref: poolId }))
    expect(resources).toContain('userpool/us-east-1_EXAMPLE02')
    expect(resources).not.toContain('*')
  })

  it('leaves the lifecycle function unreserved unless replication.lifecycleConcurrency asks for it', () => {
    expect(fn('lifecycle').props.ReservedConcurrentExecutions).toBeUndefined()
    const { app, stacks } = synthExample(
      exampleConfig({ replication: { ...exampleConfig().replication, lifecycleConcurrency: 1 } }),
    )
    const [reserved] = templatesOf(app, [stacks.regions[0]!]) as [Template]
    reserved.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'regionless-lifecycle',
      ReservedConcurrentExecutions: 1,
    })
  })

  it('alarms on DLQ depth, replication lag and queue age', () => {
    eu.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'regionless-replication-dlq-eu-west-1',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    })
    expect(REPLICATION_METRICS).toEqual({
      namespace: METRICS_NAMESPACE,
      lagMs: REPLICATION_METRIC_NAMES.lag,
      unresolved: REPLICATION_METRIC_NAMES.unresolved,
    })
    eu.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Regionless',
      MetricName: 'ReplicationLagMs',
      Statistic: 'Maximum',
      Threshold: 300000,
    })
    eu.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 300 })
  })

  it('alarms when the scheduled reconcile leaves users unresolved (missing somewhere, no tombstone)', () => {
    eu.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'regionless-replication-unresolved-eu-west-1',
      Namespace: 'Regionless',
      MetricName: 'ReplicationUnresolved',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    })
    // Unset, the handler's default (`report`) applies; set, the construct passes it on.
    expect(fn('reconcile').props.Environment.Variables).not.toHaveProperty(REPLICATION_ENV.reconcileMissing)
    const { app, stacks } = synthExample(
      exampleConfig({ replication: { ...exampleConfig().replication, reconcileMissing: 'create' } }),
    )
    const [creating] = templatesOf(app, [stacks.regions[0]!]) as [Template]
    creating.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'regionless-reconcile',
      Environment: { Variables: Match.objectLike({ [REPLICATION_ENV.reconcileMissing]: 'create' }) },
    })
  })
})

describe('APIs', () => {
  it('REST: one Cognito authorizer listing every region’s pool, scoped for access tokens', () => {
    const authorizers = eu.findResources('AWS::ApiGateway::Authorizer')
    const [auth] = Object.values(authorizers) as Cfn[]
    expect(auth.Properties.Type).toBe('COGNITO_USER_POOLS')
    const arns = JSON.stringify(auth.Properties.ProviderARNs)
    expect(auth.Properties.ProviderARNs).toHaveLength(2)
    expect(arns).toContain('AuthUserPool')
    expect(arns).toContain('cognito-idp:us-east-1:')
    expect(arns).toContain('userpool/us-east-1_EXAMPLE02')
    eu.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizationScopes: ['aws.cognito.signin.user.admin'],
      RequestValidatorId: Match.anyValue(),
    })
    eu.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      TracingEnabled: true,
    })
  })

  it('HTTP: a Lambda authorizer on the verifier with every pool and the snapshot shipped', () => {
    eu.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
    })
    const env = fn('http-authorizer').props.Environment.Variables
    expect(env.REGIONLESS_VERIFIER_TOKEN_USE).toBe('access')
    const pools = JSON.stringify(env.REGIONLESS_VERIFIER_POOLS)
    expect(pools).toContain('us-east-1_EXAMPLE02')
    expect(pools).toContain('example2clientid0000000000')
    eu.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /me', AuthorizationType: 'CUSTOM' })
    eu.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    })
  })
})
