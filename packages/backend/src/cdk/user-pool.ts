import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import type { Construct } from 'constructs'
import { CHANGED_AT_ATTRIBUTE, ENABLED_AT_ATTRIBUTE } from '../replication/attributes.js'
import type { DeployConfig } from './config.js'

/** The user pool of one region (pools topology, or the replicas primary). */
export function createUserPool(scope: Construct, config: DeployConfig, removalPolicy: RemovalPolicy): cognito.UserPool {
  const plans = {
    lite: cognito.FeaturePlan.LITE,
    essentials: cognito.FeaturePlan.ESSENTIALS,
    plus: cognito.FeaturePlan.PLUS,
  }
  return new cognito.UserPool(scope, 'UserPool', {
    userPoolName: `${config.name}-${Stack.of(scope).region}`,
    featurePlan: plans[config.featurePlan],
    selfSignUpEnabled: true,
    // docs/usernames.md: we choose the username, and sign in by it only. An email alias would answer
    // a known and an unknown email differently (docs/security.md, user enumeration).
    // `emailSignInAlias` keeps the alias of a pool deployed before (Cognito cannot remove it in place).
    signInAliases: { username: true, ...(config.emailSignInAlias && { email: true }) },
    signInCaseSensitive: false,
    autoVerify: { email: true },
    // A new email takes effect only once verified: sign-in mail never goes to an unproven address.
    keepOriginal: { email: true },
    standardAttributes: { email: { required: true, mutable: true } },
    // Replication's conflict bookkeeping (src/replication/attributes.ts): set only through the admin API.
    customAttributes: {
      [CHANGED_AT_ATTRIBUTE.replace('custom:', '')]: new cognito.StringAttribute({ mutable: true }),
      [ENABLED_AT_ATTRIBUTE.replace('custom:', '')]: new cognito.StringAttribute({ mutable: true }),
    },
    // Sign-up needs a password that nobody uses (the client sends 32 random characters of every class).
    passwordPolicy: {
      minLength: 16,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
    },
    accountRecovery: cognito.AccountRecovery.NONE,
    mfa: cognito.Mfa.OFF,
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy,
  })
}

/** The app client: CUSTOM_AUTH and refresh only. Returns its id. */
export function createAppClient(config: DeployConfig, pool: cognito.UserPool): string {
  const { refreshTokenRotation, refreshTokenRotationGraceSeconds } = config.tokens
  const client = pool.addClient('AppClient', {
    userPoolClientName: `${config.name}-web`,
    // CUSTOM_AUTH and refresh only: no SRP, no USER_PASSWORD_AUTH, no admin password flows.
    authFlows: { custom: true },
    // With a grace period the L2 turns rotation on (RefreshTokenRotation ENABLED) and leaves
    // ALLOW_REFRESH_TOKEN_AUTH out of the flows: with rotation, refresh goes through
    // GetTokensFromRefreshToken only.
    ...(refreshTokenRotation && {
      refreshTokenRotationGracePeriod: Duration.seconds(refreshTokenRotationGraceSeconds),
    }),
    generateSecret: false,
    disableOAuth: true,
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    idTokenValidity: Duration.minutes(config.tokens.idTokenMinutes),
    accessTokenValidity: Duration.minutes(config.tokens.accessTokenMinutes),
    refreshTokenValidity: Duration.days(config.tokens.refreshTokenDays),
    authSessionValidity: Duration.minutes(config.tokens.authSessionMinutes),
    // Users may change their email; the replication bookkeeping attributes stay admin-only.
    writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
  })
  return client.userPoolClientId
}
