import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import type { DeployConfig } from './config.js'
import { suppressNagFindings } from './nag-suppressions.js'
import { RegionlessAuth, type RegionlessAuthProps } from './regionless-auth.js'

export interface RegionlessRegionStackProps extends StackProps, RegionlessAuthProps {}

/**
 * One region of a Regionless deployment: `RegionlessAuth` plus the outputs a front end pastes into
 * `createAuthClient` (this region's ids and API URL, and `FrontEndConfig`, the whole config as JSON).
 *
 * @example
 * new RegionlessRegionStack(app, 'Regionless-eu-west-1', { config, env: { region: 'eu-west-1' } })
 */
export class RegionlessRegionStack extends Stack {
  readonly auth: RegionlessAuth

  constructor(scope: Construct, id: string, props: RegionlessRegionStackProps) {
    super(scope, id, props)
    this.auth = new RegionlessAuth(this, 'Auth', props)
    const apiUrl = this.auth.apis.httpApiUrl
    new CfnOutput(this, 'Region', { value: this.region })
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPoolId })
    new CfnOutput(this, 'ClientId', { value: this.auth.clientId })
    new CfnOutput(this, 'ApiUrl', { value: apiUrl, description: 'HTTP API (Lambda authorizer on the verifier)' })
    new CfnOutput(this, 'RestApiUrl', {
      value: this.auth.apis.restApi.url,
      description: 'REST API (Cognito authorizer)',
    })
    new CfnOutput(this, 'FrontEndConfig', {
      value: this.toJsonString(frontEndConfig(props.config, this.auth, apiUrl)),
      description: 'Paste into createAuthClient (regions other deploys have not reported yet are missing)',
    })
    if (!this.auth.userPool) {
      new CfnOutput(this, 'TriggerFunctionArns', {
        value: this.toJsonString(
          Object.fromEntries(Object.entries(this.auth.triggers).map(([name, fn]) => [name, fn.functionArn])),
        ),
        description: 'Set these as the replica’s Lambda triggers (docs/deploy.md, replicas)',
      })
    }
    suppressNagFindings(this)
  }
}

/** `{ topology, regions }` for `createAuthClient`: this region from the stack, the others from the config. */
export function frontEndConfig(config: DeployConfig, auth: RegionlessAuth, apiUrl: string) {
  const regions = config.regions.flatMap((r) => {
    if (r.region === auth.region) {
      return [{ region: r.region, userPoolId: auth.userPoolId, clientId: auth.clientId, apiUrl }]
    }
    const userPoolId = config.topology === 'replicas' ? auth.userPoolId : r.userPoolId
    const clientId = config.topology === 'replicas' ? auth.clientId : r.clientId
    if (!userPoolId || !clientId) return []
    return [{ region: r.region, userPoolId, clientId, ...(r.apiUrl ? { apiUrl: r.apiUrl } : {}) }]
  })
  return { topology: config.topology, regions }
}
