import { RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as kms from 'aws-cdk-lib/aws-kms'
import * as ses from 'aws-cdk-lib/aws-ses'
import type { Construct } from 'constructs'
import type { DeployConfig } from './config.js'

/**
 * The region's magic-link signing key: the multi-region primary (global stack) in the primary region,
 * a replica with the same alias elsewhere. Returns its ARN.
 */
export function linkKeyFor(scope: Construct, config: DeployConfig): string {
  const stack = Stack.of(scope)
  if (stack.region === config.primaryRegion) return config.linkKeyArn as string
  const replica = new kms.CfnReplicaKey(scope, 'LinkKeyReplica', {
    primaryKeyArn: config.linkKeyArn as string,
    description: `Regionless magic-link signing key (replica in ${stack.region})`,
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountAdministersThroughIam',
          Effect: 'Allow',
          Principal: { AWS: `arn:${stack.partition}:iam::${stack.account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    pendingWindowInDays: 30,
  })
  replica.applyRemovalPolicy(config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
  new kms.CfnAlias(scope, 'LinkKeyAlias', {
    aliasName: `alias/${config.name}-links`,
    targetKeyId: replica.attrKeyId,
  })
  return replica.attrArn
}

/** The SES identity and configuration set the triggers send with. Returns the identity's name. */
export function emailSettings(scope: Construct, config: DeployConfig): string {
  if (config.email.createIdentity) {
    const isDomain = !config.email.identity.includes('@')
    new ses.EmailIdentity(scope, 'EmailIdentity', {
      identity: isDomain ? ses.Identity.domain(config.email.identity) : ses.Identity.email(config.email.identity),
      ...(config.email.configurationSet ? { configurationSet: configurationSet(scope, config) } : {}),
    })
  } else if (config.email.configurationSet) {
    configurationSet(scope, config)
  }
  return config.email.identity
}

function configurationSet(scope: Construct, config: DeployConfig): ses.IConfigurationSet {
  const existing = scope.node.tryFindChild('ConfigurationSet') as ses.ConfigurationSet | undefined
  return (
    existing ??
    new ses.ConfigurationSet(scope, 'ConfigurationSet', {
      configurationSetName: config.email.configurationSet as string,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    })
  )
}
