import type { Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { KEY_PREFIXES } from '../../src/stores/keys.js'
import { AUTH_ENV } from '../../src/triggers/env-config.js'
import { type Cfn, exampleConfig, synthExample, templatesOf } from '../helpers/cdk-fixtures.js'

// Each function's role allows exactly the calls its code makes, on its own resources: no peer admin
// actions the function never uses, and table access only to its own key prefixes.

const PEPPER_SECRET = 'regionless/code-pepper'
let eu: Template

beforeAll(() => {
  const config = exampleConfig()
  const { app, stacks } = synthExample({ ...config, codes: { ...config.codes, pepperSecret: PEPPER_SECRET } })
  ;[eu] = templatesOf(app, [stacks.regions[0]!]) as [Template]
}, 120_000)

function functionNamed(name: string): Record<string, Cfn> {
  const found = Object.values(
    eu.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `regionless-${name}` } }),
  ) as Cfn[]
  if (found.length !== 1) throw new Error(`no function regionless-${name}`)
  return found[0].Properties
}

/** Every statement the function's role holds, apart from writing its own logs. */
function statementsOf(name: string): Array<Record<string, Cfn>> {
  const roleId = functionNamed(name).Role['Fn::GetAtt'][0]
  return (Object.values(eu.findResources('AWS::IAM::Policy')) as Cfn[])
    .filter((p) => p.Properties.Roles.some((r: Cfn) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
}

const actionsOf = (statements: Array<Record<string, Cfn>>) =>
  [...new Set(statements.flatMap((s) => [s.Action].flat() as string[]))].sort()

const onPeer = (s: Record<string, Cfn>) => JSON.stringify(s.Resource).includes('userpool/us-east-1_EXAMPLE02')
const onLocalPool = (s: Record<string, Cfn>) => {
  const [poolId] = Object.keys(eu.findResources('AWS::Cognito::UserPool'))
  return JSON.stringify(s.Resource).includes(JSON.stringify({ Ref: poolId }))
}
const cognito = (actions: string[]) => actions.map((a) => `cognito-idp:${a}`)

const UPSERT = [
  'AdminCreateUser',
  'AdminDeleteUserAttributes',
  'AdminGetUser',
  'AdminSetUserPassword',
  'AdminUpdateUserAttributes',
]
const APPLY = [...UPSERT, 'AdminDeleteUser', 'AdminDisableUser', 'AdminEnableUser']
const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
]

describe('each function may make exactly the calls its code makes', () => {
  it.each([
    ['define-auth-challenge', []],
    ['pre-sign-up', []],
    [
      'create-auth-challenge',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'kms:Sign', 'secretsmanager:GetSecretValue', 'ses:SendEmail'],
    ],
    [
      'verify-auth-challenge',
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'kms:GetPublicKey',
        'secretsmanager:GetSecretValue',
      ],
    ],
    ['passkeys', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']],
    ['post-confirmation', [...cognito(UPSERT), 'dynamodb:GetItem', 'sqs:SendMessage']],
    ['replication-worker', [...cognito(APPLY), 'dynamodb:GetItem', 'dynamodb:PutItem', ...CONSUME]],
    [
      'lifecycle',
      [
        ...cognito(['AdminGetUser', 'AdminUpdateUserAttributes', 'ListUsers']),
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'sqs:SendMessage',
      ],
    ],
    [
      'reconcile',
      [
        ...cognito([...APPLY, 'DescribeUserPool', 'ListUsers']),
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'sqs:GetQueueAttributes',
      ],
    ],
    [
      'account-deletion',
      [...cognito(['AdminDeleteUser']), 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'sqs:SendMessage'],
    ],
  ])('%s', (name, expected) => {
    expect(actionsOf(statementsOf(name))).toEqual([...expected].sort())
  })

  it('the lifecycle function holds no action on a peer pool', () => {
    expect(statementsOf('lifecycle').filter(onPeer)).toEqual([])
  })

  it('post-confirmation may only upsert in the peers and stamp here: no delete, disable or enable anywhere', () => {
    const statements = statementsOf('post-confirmation')
    expect(actionsOf(statements.filter(onPeer))).toEqual(cognito(UPSERT).sort())
    expect(actionsOf(statements.filter(onLocalPool))).toEqual(cognito(['AdminUpdateUserAttributes']))
    for (const action of cognito(['AdminDeleteUser', 'AdminDisableUser', 'AdminEnableUser'])) {
      expect(actionsOf(statements)).not.toContain(action)
    }
  })
})

describe('the shared table: each function only under its own key prefixes (dynamodb:LeadingKeys)', () => {
  // Each statement: its actions on its patterns. Passkeys (on in the example) add one statement per prefix,
  // so a prefix holds only its own calls (a spent challenge is only ever put, never updated or deleted).
  const GET_PUT = 'dynamodb:GetItem,dynamodb:PutItem'
  it.each([
    ['create-auth-challenge', [`${GET_PUT} on budget#*`, 'dynamodb:PutItem on challenge#*']],
    [
      'verify-auth-challenge',
      [
        `${GET_PUT} on link#*,bridge#*,budget#*`,
        'dynamodb:GetItem,dynamodb:UpdateItem on passkey#*',
        'dynamodb:GetItem on challenge#*',
        'dynamodb:PutItem on webauthn#*',
      ],
    ],
    [
      'passkeys',
      [
        'dynamodb:GetItem,dynamodb:UpdateItem on passkey#*',
        `${GET_PUT} on challenge#*`,
        'dynamodb:PutItem on webauthn#*',
      ],
    ],
    ['post-confirmation', ['dynamodb:GetItem on tombstone#*']],
    ['replication-worker', [`${GET_PUT} on tombstone#*`]],
    ['lifecycle', ['dynamodb:PutItem on tombstone#*', 'dynamodb:DeleteItem on passkey#*']],
    ['reconcile', [`${GET_PUT} on tombstone#*`]],
    ['account-deletion', ['dynamodb:PutItem on tombstone#*', 'dynamodb:DeleteItem on passkey#*']],
  ])('%s: %j', (name, expected) => {
    const table = statementsOf(name).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')))
    for (const statement of table) {
      expect(JSON.stringify(statement.Resource)).toContain(':table/regionless-single-use')
      expect(Object.keys(statement.Condition)).toEqual(['ForAllValues:StringLike'])
    }
    const granted = table.map(
      (s) =>
        `${[s.Action].flat().join(',')} on ${s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'].join(',')}`,
    )
    expect(granted.sort()).toEqual([...expected].sort())
  })

  it('every prefix the code builds keys with is some function’s, and the patterns come from KEY_PREFIXES', () => {
    const granted = new Set(
      (Object.values(eu.findResources('AWS::IAM::Policy')) as Cfn[])
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .flatMap((s: Cfn) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []),
    )
    expect([...granted].sort()).toEqual(
      Object.values(KEY_PREFIXES)
        .map((prefix) => `${prefix}*`)
        .sort(),
    )
  })
})

describe('the code pepper', () => {
  it('comes from the named secret: GetSecretValue on that secret alone, for the two triggers that hash codes', () => {
    for (const name of ['create-auth-challenge', 'verify-auth-challenge']) {
      const [statement, ...more] = statementsOf(name).filter((s) => s.Action === 'secretsmanager:GetSecretValue')
      expect(more).toEqual([])
      const resource = JSON.stringify(statement?.Resource)
      expect(resource).toContain(`:secretsmanager:eu-west-1:`)
      expect(resource).toContain(`:secret:${PEPPER_SECRET}-??????`)
      expect(functionNamed(name).Environment.Variables[AUTH_ENV.codePepperSecret]).toBe(PEPPER_SECRET)
    }
  })

  it('is never a plain value in the template: no function has the pepper variable', () => {
    for (const fn of Object.values(eu.findResources('AWS::Lambda::Function')) as Cfn[]) {
      expect(Object.keys(fn.Properties.Environment?.Variables ?? {})).not.toContain(AUTH_ENV.codePepper)
    }
    expect(JSON.stringify(eu.toJSON())).not.toContain(`${AUTH_ENV.codePepper}"`)
  })
})
