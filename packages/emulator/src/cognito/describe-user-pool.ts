import { ACCOUNT } from '../replication/cloudtrail.js'
import { STANDARD_ATTRIBUTES } from '../store/user-store.js'
import type { TriggerKey } from '../triggers/run-trigger.js'
import { epochSeconds, type Operation, type RegionPool, requirePool } from './context.js'

/** Cognito's `LambdaConfig` member for each trigger the emulator runs. */
const LAMBDA_CONFIG_KEYS: Record<TriggerKey, string> = {
  preSignUp: 'PreSignUp',
  defineAuthChallenge: 'DefineAuthChallenge',
  createAuthChallenge: 'CreateAuthChallenge',
  verifyAuthChallengeResponse: 'VerifyAuthChallengeResponse',
  postConfirmation: 'PostConfirmation',
}

const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified'])

/** The deployed pool's schema (packages/backend/src/cdk/user-pool.ts): the standard attributes, email required. */
function schemaAttributes() {
  const sub = {
    Name: 'sub',
    AttributeDataType: 'String',
    DeveloperOnlyAttribute: false,
    Mutable: false,
    Required: true,
    StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
  }
  const standard = [...STANDARD_ATTRIBUTES].map((Name) => {
    const base = { Name, DeveloperOnlyAttribute: false, Mutable: true, Required: Name === 'email' }
    if (BOOLEAN_ATTRIBUTES.has(Name)) return { ...base, AttributeDataType: 'Boolean' }
    if (Name === 'updated_at') {
      return { ...base, AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0' } }
    }
    return { ...base, AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' } }
  })
  return [sub, ...standard]
}

/** A placeholder function ARN per wired trigger: the emulator runs them in-process. */
function lambdaConfig(pool: RegionPool): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [trigger, member] of Object.entries(LAMBDA_CONFIG_KEYS)) {
    if (pool.triggers[trigger as TriggerKey]) {
      out[member] = `arn:aws:lambda:${pool.region}:${ACCOUNT}:function:regionless-emulator-${member}`
    }
  }
  return out
}

/**
 * Cognito's DescribeUserPool (`{ UserPool: UserPoolType }`), with the members a caller can act on:
 * ids, dates, `EstimatedNumberOfUsers` (exact here; Cognito's is an estimate), the schema, the
 * triggers wired, the password policy and the username setting.
 */
export const describeUserPool: Operation = async (ctx, body) => {
  requirePool(ctx, body)
  const { pool } = ctx
  const region = pool.role === 'pool' ? pool.region : pool.primaryRegion
  return {
    UserPool: {
      Id: pool.userPoolId,
      Name: `regionless-${region}`,
      Arn: `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${pool.userPoolId}`,
      CreationDate: epochSeconds(pool.createdAt),
      LastModifiedDate: epochSeconds(pool.createdAt),
      EstimatedNumberOfUsers: pool.users.size,
      SchemaAttributes: schemaAttributes(),
      LambdaConfig: lambdaConfig(pool),
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: 'OFF',
      DeletionProtection: 'INACTIVE',
    },
  }
}
