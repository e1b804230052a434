import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as kms from 'aws-cdk-lib/aws-kms'
import type { Construct } from 'constructs'
import type { DeployConfig } from './config.js'
import { tableName } from './regionless-auth.js'

export interface RegionlessGlobalStackProps extends StackProps {
  config: DeployConfig
}

/**
 * What every region shares, deployed once in the primary region: the single-use store (a DynamoDB
 * global table with a replica in every region) and the primary of the multi-region link signing key
 * (each regional stack adds its replica). Its `LinkKeyArn` output goes into the config as `linkKeyArn`.
 *
 * @example
 * new RegionlessGlobalStack(app, 'RegionlessGlobal', { config, env: { region: config.primaryRegion } })
 */
export class RegionlessGlobalStack extends Stack {
  readonly table: dynamodb.TableV2
  readonly linkKey: kms.CfnKey

  constructor(scope: Construct, id: string, props: RegionlessGlobalStackProps) {
    super(scope, id, props)
    const { config } = props
    const retain = config.removalPolicy === 'retain'
    this.table = new dynamodb.TableV2(this, 'SingleUseTable', {
      tableName: tableName(config),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      replicas: config.regions.filter((r) => r.region !== this.region).map((r) => ({ region: r.region })),
    })
    this.linkKey = new kms.CfnKey(this, 'LinkKey', {
      description: 'Regionless magic-link signing key (multi-region primary)',
      keySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      multiRegion: true,
      // Asymmetric keys cannot rotate automatically; rotate by deploying a new key (docs/deploy.md).
      enableKeyRotation: false,
      pendingWindowInDays: 30,
      keyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministersThroughIam',
            Effect: 'Allow',
            Principal: { AWS: `arn:${this.partition}:iam::${this.account}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    })
    this.linkKey.applyRemovalPolicy(retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
    new kms.CfnAlias(this, 'LinkKeyAlias', { aliasName: `alias/${config.name}-links`, targetKeyId: this.linkKey.ref })
    new CfnOutput(this, 'LinkKeyArn', {
      value: this.linkKey.attrArn,
      description: 'Put this into the config as linkKeyArn',
    })
    new CfnOutput(this, 'TableName', { value: this.table.tableName })
  }
}
