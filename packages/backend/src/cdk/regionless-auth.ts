import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { RegionApis } from './apis.js'
import { authEnvironment, knownPeers, passkeyEnvironment, type SnapshotFile } from './auth-environment.js'
import { AUTHORIZER_ENV, SNAPSHOT_FILE } from './authorizer-env.js'
import { type DeployConfig, DeployConfigError } from './config.js'
import { defaultEntries, type RegionlessEntries } from './entries.js'
import { type CodeProvider, createHandlerFunction, type HandlerSpec } from './functions.js'
import { emailSettings, linkKeyFor } from './key-and-email.js'
import { pepperSecretId, pepperSecretStatement } from './pepper-secret.js'
import { Replication } from './replication.js'
import { grantTableAccess, PASSKEY_TABLE_ACCESS, TABLE_ACCESS, tableStatement } from './table-access.js'
import { createAppClient, createUserPool } from './user-pool.js'

export interface RegionlessAuthProps {
  /** The checked deployment settings (see `parseDeployConfig`). */
  config: DeployConfig
  /** The JWKS snapshot of every pool: its file (shipped in the authorizer bundle) and its parsed content. */
  snapshot?: { path: string; content: SnapshotFile }
  /** Prebuilt code instead of esbuild bundling (tests). A real deployment leaves it unset. */
  code?: CodeProvider
  /** Default Node.js 24. */
  runtime?: lambda.Runtime
  /** Handler entry files; defaults to this package's sources. */
  entries?: Partial<RegionlessEntries>
}

/** The four challenge triggers' exports in `src/lambda/auth-triggers.ts`. */
const TRIGGERS = [
  ['DefineAuthChallenge', 'defineAuthChallenge'],
  ['CreateAuthChallenge', 'createAuthChallenge'],
  ['VerifyAuthChallenge', 'verifyAuthChallengeResponse'],
  ['PreSignUp', 'preSignUp'],
] as const

/**
 * Regionless in one region of a deployment: the user pool (pools topology, or the replicas primary)
 * with a CUSTOM_AUTH-only app client, the challenge triggers, the link key replica, SES settings,
 * replication (pools), and the REST and HTTP APIs that accept every region's tokens.
 * The stack's region must be concrete and one of `config.regions`.
 *
 * @example
 * const stack = new Stack(app, 'RegionlessEuWest1', { env: { region: 'eu-west-1' } })
 * const auth = new RegionlessAuth(stack, 'Auth', { config: parseDeployConfig(json) })
 * auth.apis.httpApi.addRoutes({ path: '/orders', methods: [HttpMethod.GET], integration })
 */
export class RegionlessAuth extends Construct {
  readonly region: string
  /** This region's pool; `undefined` in a replicas secondary (the replica is created from the primary). */
  readonly userPool: cognito.UserPool | undefined
  readonly userPoolId: string
  readonly clientId: string
  readonly triggers: Record<(typeof TRIGGERS)[number][1], lambda.Function>
  readonly replication: Replication | undefined
  readonly apis: RegionApis
  readonly linkKeyArn: string
  /** The passkey API's function; `undefined` unless `passkeys.rpId` is set. */
  readonly passkeys: lambda.Function | undefined

  constructor(scope: Construct, id: string, props: RegionlessAuthProps) {
    super(scope, id)
    const { config } = props
    const stack = Stack.of(this)
    this.region = stack.region
    if (!config.regions.some((r) => r.region === this.region)) {
      throw new DeployConfigError('regions', `the stack's region ${this.region} is not in the config`)
    }
    if (!config.linkKeyArn) {
      throw new DeployConfigError('linkKeyArn', 'is needed for the regional stacks: deploy the global stack first')
    }
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN
    const entries = { ...defaultEntries(), ...props.entries }
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X
    const createFunction = (spec: HandlerSpec) =>
      createHandlerFunction(this, spec, {
        runtime,
        code: props.code,
        removalPolicy,
        functionName: functionName(config, spec.id),
      })
    const secondary = config.topology === 'replicas' && this.region !== config.primaryRegion

    this.linkKeyArn = linkKeyFor(this, config)
    if (secondary) {
      const shared = config.regions.find((r) => r.userPoolId && r.clientId)
      if (!shared?.userPoolId || !shared.clientId) {
        throw new DeployConfigError('regions', 'a replicas secondary needs the pool and client id of the primary')
      }
      this.userPool = undefined
      this.userPoolId = shared.userPoolId
      this.clientId = shared.clientId
    } else {
      this.userPool = createUserPool(this, config, removalPolicy)
      this.userPoolId = this.userPool.userPoolId
      this.clientId = createAppClient(config, this.userPool)
      if (config.topology === 'replicas') {
        // Multi-Region replication: the secondaries are created from the primary's stack.
        for (const other of config.regions.filter((r) => r.region !== this.region)) {
          new cognito.CfnUserPoolReplica(this, `Replica-${other.region}`, {
            userPoolId: this.userPoolId,
            regionName: other.region,
          })
        }
      }
    }
    const userPoolArn = stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: this.userPoolId })

    const identity = emailSettings(this, config)
    const environment = authEnvironment({
      config,
      local: { region: this.region, userPoolId: this.userPoolId, clientId: this.clientId },
      tableName: tableName(config),
      keyArn: this.linkKeyArn,
      snapshot: props.snapshot?.content,
    })
    this.triggers = Object.fromEntries(
      TRIGGERS.map(([fnId, exportName]) => [
        exportName,
        createFunction({ id: fnId, ...entries.authTriggers, exportName, environment }),
      ]),
    ) as RegionlessAuth['triggers']
    this.grantTriggers(config, identity)

    this.replication =
      config.topology === 'pools' && config.replication.enabled
        ? new Replication(this, 'Replication', {
            config,
            userPoolId: this.userPoolId,
            userPoolArn,
            tableName: tableName(config),
            peers: knownPeers(config, this.region).map(({ region, userPoolId }) => ({ region, userPoolId })),
            entries: entries.replication,
            passkeys: passkeysOn(config),
            createFunction,
            removalPolicy,
          })
        : undefined

    const invoked: Array<[string, lambda.Function]> = [
      ['DefineAuthChallenge', this.triggers.defineAuthChallenge],
      ['CreateAuthChallenge', this.triggers.createAuthChallenge],
      ['VerifyAuthChallengeResponse', this.triggers.verifyAuthChallengeResponse],
      ['PreSignUp', this.triggers.preSignUp],
      ...(this.replication
        ? [['PostConfirmation', this.replication.postConfirmation] as [string, lambda.Function]]
        : []),
    ]
    for (const [, fn] of invoked) {
      fn.addPermission('CognitoInvoke', {
        principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
        sourceArn: userPoolArn,
        sourceAccount: stack.account,
      })
    }
    if (this.userPool) {
      // The triggers are named by ARN built from the function names, not by reference: their variables
      // name the pool, so a reference back would be a circular dependency.
      const cfnPool = this.userPool.node.defaultChild as cognito.CfnUserPool
      cfnPool.lambdaConfig = Object.fromEntries(
        invoked.map(([key, fn]) => [
          key.charAt(0).toLowerCase() + key.slice(1),
          stack.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: (fn.node.defaultChild as lambda.CfnFunction).functionName as string,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ]),
      )
    }

    const authorizer = createFunction({
      id: 'HttpAuthorizer',
      ...entries.httpAuthorizer,
      environment: {
        [AUTHORIZER_ENV.pools]: stack.toJsonString(this.verifierPools(config)),
        [AUTHORIZER_ENV.tokenUse]: config.api.tokenUse,
      },
      ...(props.snapshot ? { extraFiles: { [SNAPSHOT_FILE]: props.snapshot.path } } : {}),
    })
    this.passkeys = passkeysOn(config)
      ? createFunction({
          id: 'Passkeys',
          ...entries.passkeys,
          environment: passkeyEnvironment(config, tableName(config)),
        })
      : undefined
    if (this.passkeys) grantTableAccess(this.passkeys, tableArnOf(stack, config), PASSKEY_TABLE_ACCESS.passkeyApi)
    this.apis = new RegionApis(this, 'Apis', {
      config,
      pools: this.providerPools(config),
      authorizerFunction: authorizer,
      accountDeletionFunction: this.replication?.accountDeletion,
      passkeysFunction: this.passkeys,
      runtime,
      removalPolicy,
    })
  }

  private grantTriggers(config: DeployConfig, identity: string): void {
    const stack = Stack.of(this)
    const sesResources = [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })]
    if (config.email.configurationSet) {
      sesResources.push(
        stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: config.email.configurationSet }),
      )
    }
    const table = tableArnOf(stack, config)
    const { createAuthChallenge, verifyAuthChallengeResponse } = this.triggers
    // Create sends mail, signs links (kms:Sign only: it never verifies one) and throttles sends; verify
    // checks links with the public key and records single use. Define and PreSignUp call no AWS API.
    createAuthChallenge.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: sesResources }),
    )
    createAuthChallenge.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['kms:Sign'], resources: [this.linkKeyArn] }),
    )
    verifyAuthChallengeResponse.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.linkKeyArn] }),
    )
    createAuthChallenge.addToRolePolicy(tableStatement(table, TABLE_ACCESS.createAuthChallenge))
    verifyAuthChallengeResponse.addToRolePolicy(tableStatement(table, TABLE_ACCESS.verifyAuthChallengeResponse))
    if (passkeysOn(config)) {
      grantTableAccess(createAuthChallenge, table, PASSKEY_TABLE_ACCESS.createAuthChallenge)
      grantTableAccess(verifyAuthChallengeResponse, table, PASSKEY_TABLE_ACCESS.verifyAuthChallengeResponse)
    }
    // Both hash codes with the pepper: create to store a code, verify to check an answer.
    const secret = pepperSecretId(config, this.region)
    if (secret) {
      for (const fn of [createAuthChallenge, verifyAuthChallengeResponse]) {
        fn.addToRolePolicy(pepperSecretStatement(this, secret))
      }
    }
  }

  /** The verifier's trusted pools: this one plus every peer the config knows. */
  private verifierPools(config: DeployConfig): Array<{ userPoolId: string; clientId: string }> {
    return [
      { userPoolId: this.userPoolId, clientId: this.clientId },
      ...knownPeers(config, this.region).map(({ userPoolId, clientId }) => ({ userPoolId, clientId })),
    ]
  }

  /** `ProviderARNs` of the REST authorizer: every region's pool (the replica in this region for replicas). */
  private providerPools(config: DeployConfig): cognito.IUserPool[] {
    const stack = Stack.of(this)
    const local =
      this.userPool ??
      cognito.UserPool.fromUserPoolArn(
        this,
        'ReplicaPool',
        stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: this.userPoolId }),
      )
    const peers = knownPeers(config, this.region).map((peer) =>
      cognito.UserPool.fromUserPoolArn(
        this,
        `Peer-${peer.region}`,
        stack.formatArn({
          service: 'cognito-idp',
          region: peer.region,
          resource: 'userpool',
          resourceName: peer.userPoolId,
        }),
      ),
    )
    return [local, ...peers]
  }
}

/** `regionless-define-auth-challenge`: explicit, so the pool can name its triggers without a reference. */
export function functionName(config: DeployConfig, id: string): string {
  return `${config.name}-${id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`
}

/** Passkeys are on when the config names a relying party. */
export function passkeysOn(config: DeployConfig): boolean {
  return config.passkeys?.rpId !== undefined
}

function tableArnOf(stack: Stack, config: DeployConfig): string {
  return stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName(config) })
}

/** The single-use table's name: the same in every region (a global table). */
export function tableName(config: DeployConfig): string {
  return `${config.name}-single-use`
}
