import { ArnFormat, Stack } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import type { Construct } from 'constructs'
import type { DeployConfig } from './config.js'

/**
 * The code pepper's secret for `region` (`codes.pepperSecret`, `{region}` replaced): what the
 * triggers' variable names. Only the name or ARN goes into the template, never the pepper.
 */
export function pepperSecretId(config: DeployConfig, region: string): string | undefined {
  return config.codes.pepperSecret?.replaceAll('{region}', region)
}

/**
 * `secretsmanager:GetSecretValue` on that one secret. A name matches the secret's ARN, which Secrets
 * Manager ends with `-` and six random characters; an ARN is taken as given.
 */
export function pepperSecretStatement(scope: Construct, secretId: string): iam.PolicyStatement {
  const arn = secretId.startsWith('arn:')
    ? secretId
    : Stack.of(scope).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${secretId}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })
  return new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] })
}
