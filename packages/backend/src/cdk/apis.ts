import { type RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as apigw from 'aws-cdk-lib/aws-apigateway'
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import type * as cognito from 'aws-cdk-lib/aws-cognito'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { PASSKEY_ROUTES } from '../passkeys/passkey-http.js'
import type { DeployConfig } from './config.js'
import { functionRole } from './functions.js'
import { acknowledgeOpenChallengeRoute } from './nag-suppressions.js'

export interface RegionApisProps {
  config: DeployConfig
  /** Every region's pool (this one's first), imported by ARN where it lives elsewhere. */
  pools: cognito.IUserPool[]
  /** The Lambda authorizer built on the verifier. */
  authorizerFunction: lambda.IFunction
  /** Serves `DELETE /me` (account deletion in every region) when given: replication's handler. */
  accountDeletionFunction?: lambda.IFunction | undefined
  /** Serves the passkey routes (`PASSKEY_ROUTES`) when given: passkeys are on. */
  passkeysFunction?: lambda.IFunction | undefined
  runtime: lambda.Runtime
  removalPolicy: RemovalPolicy
}

// Access tokens from InitiateAuth carry this scope; naming it on a method makes the
// Cognito authorizer accept access tokens (without a scope it wants ID tokens).
const SIGNED_IN_SCOPE = 'aws.cognito.signin.user.admin'

// A stand-in route that proves the authorizer works; teams add their own routes to the
// exposed `restApi` / `httpApi`.
const ME_CODE = `exports.handler = async (event) => {
  const a = (event.requestContext.authorizer || {}).lambda || {}
  return { statusCode: 200, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: a.userId, userPoolId: a.userPoolId, region: process.env.AWS_REGION }) }
}`

/**
 * This region's two APIs: a REST API whose Cognito authorizer lists every region's pool in
 * `ProviderARNs`, and an HTTP API whose Lambda authorizer trusts every pool through a shipped JWKS
 * snapshot. Both have access logs and a `GET /me` route; with replication, the HTTP API also has
 * `DELETE /me` (account deletion in every region), and with passkeys the passkey routes.
 */
export class RegionApis extends Construct {
  readonly restApi: apigw.RestApi
  readonly httpApi: apigwv2.HttpApi

  constructor(scope: Construct, id: string, props: RegionApisProps) {
    super(scope, id)
    const { config } = props
    const region = Stack.of(this).region
    const restLogs = new logs.LogGroup(this, 'RestAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    })
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `${config.name}-rest-${region}`,
      description: 'Regionless REST API: accepts tokens from every region’s user pool',
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new apigw.LogGroupLogDestination(restLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
      },
      ...(config.api.corsOrigins.length > 0
        ? { defaultCorsPreflightOptions: { allowOrigins: config.api.corsOrigins, allowHeaders: ['authorization'] } }
        : {}),
    })
    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'EveryPool', {
      authorizerName: 'every-region-pool',
      cognitoUserPools: props.pools,
    })
    const validator = this.restApi.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    })
    this.restApi.root.addResource('me').addMethod(
      'GET',
      new apigw.MockIntegration({
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [
          {
            statusCode: '200',
            responseTemplates: {
              'application/json': `{"userId":"$context.authorizer.claims.username","region":"${region}"}`,
            },
          },
        ],
      }),
      {
        authorizer,
        authorizationType: apigw.AuthorizationType.COGNITO,
        authorizationScopes: config.api.tokenUse === 'id' ? [] : [SIGNED_IN_SCOPE],
        requestValidator: validator,
        methodResponses: [{ statusCode: '200' }],
      },
    )

    const httpLogs = new logs.LogGroup(this, 'HttpAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    })
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${config.name}-http-${region}`,
      description: 'Regionless HTTP API: a Lambda authorizer built on @regionless/verifier',
      createDefaultStage: false,
      ...(config.api.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: config.api.corsOrigins,
              allowHeaders: ['authorization', 'content-type'],
              allowMethods: [apigwv2.CorsHttpMethod.ANY],
            },
          }
        : {}),
    })
    this.httpApi.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(httpLogs) },
    })
    const meLogs = new logs.LogGroup(this, 'MeLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    })
    const me = new lambda.Function(this, 'MeFunction', {
      runtime: props.runtime,
      role: functionRole(this, 'Me', meLogs),
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ME_CODE),
      logGroup: meLogs,
    })
    const verifier = new HttpLambdaAuthorizer('Verifier', props.authorizerFunction, {
      authorizerName: 'regionless-verifier',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
    })
    this.httpApi.addRoutes({
      path: '/me',
      methods: [apigwv2.HttpMethod.GET],
      integration: new HttpLambdaIntegration('Me', me),
      authorizer: verifier,
    })
    if (props.accountDeletionFunction) {
      this.httpApi.addRoutes({
        path: '/me',
        methods: [apigwv2.HttpMethod.DELETE],
        integration: new HttpLambdaIntegration('DeleteMe', props.accountDeletionFunction),
        authorizer: verifier,
      })
    }
    if (props.passkeysFunction) {
      const integration = new HttpLambdaIntegration('Passkeys', props.passkeysFunction)
      for (const route of PASSKEY_ROUTES) {
        const [added] = this.httpApi.addRoutes({
          path: route.path,
          methods: [route.method as apigwv2.HttpMethod],
          integration,
          // The usernameless (autofill) sign-in asks for a challenge before anyone is signed in.
          ...(route.auth && { authorizer: verifier }),
        })
        if (!route.auth && added) acknowledgeOpenChallengeRoute(added)
      }
    }
  }

  /** Base URL of the HTTP API (what the client's `apiUrl` points at). */
  get httpApiUrl(): string {
    return `https://${this.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/`
  }
}
