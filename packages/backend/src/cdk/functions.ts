import { Duration, type RemovalPolicy } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'

/** What one Lambda function runs: a TypeScript entry file and one of its exports. */
export interface HandlerSpec {
  /** Construct id, also the last part of the function's name. */
  id: string
  /** Absolute path of the TypeScript entry. */
  entry: string
  /** The export Lambda calls (the handler becomes `index.<exportName>`). */
  exportName: string
  environment: Record<string, string>
  /** Files shipped next to the bundle: file name in the bundle → absolute source path. */
  extraFiles?: Record<string, string>
  timeout?: Duration
  memorySize?: number
}

/**
 * Supplies prebuilt code instead of bundling each function with esbuild. Tests use it to synthesize
 * quickly; a real deployment leaves it unset so every function is bundled from its entry.
 */
export type CodeProvider = (spec: HandlerSpec) => lambda.Code

export interface FunctionSettings {
  runtime: lambda.Runtime
  code: CodeProvider | undefined
  removalPolicy: RemovalPolicy
  functionName?: string
}

/**
 * A Lambda function for one handler, with its own log group (one month of retention) and code bundled
 * by local esbuild — never Docker — minified, with source maps, the AWS SDK included so the pinned
 * version runs rather than whatever the runtime ships.
 */
export function createHandlerFunction(
  scope: Construct,
  spec: HandlerSpec,
  settings: FunctionSettings,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${spec.id}Logs`, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: settings.removalPolicy,
  })
  const role = functionRole(scope, spec.id, logGroup)
  const common = {
    role,
    runtime: settings.runtime,
    architecture: lambda.Architecture.ARM_64,
    memorySize: spec.memorySize ?? 256,
    timeout: spec.timeout ?? Duration.seconds(5),
    environment: { NODE_OPTIONS: '--enable-source-maps', ...spec.environment },
    logGroup,
    ...(settings.functionName ? { functionName: settings.functionName } : {}),
  }
  if (settings.code) {
    return new lambda.Function(scope, spec.id, {
      ...common,
      code: settings.code(spec),
      handler: `index.${spec.exportName}`,
    })
  }
  const copies = Object.entries(spec.extraFiles ?? {}).map(
    ([name, source]) => `cp ${JSON.stringify(source)} ${JSON.stringify(`__OUT__/${name}`)}`,
  )
  return new NodejsFunction(scope, spec.id, {
    ...common,
    entry: spec.entry,
    handler: spec.exportName,
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.CJS,
      minify: true,
      sourceMap: true,
      target: 'node24',
      externalModules: [],
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_input: string, output: string) => copies.map((line) => line.replace('__OUT__', output)),
      },
    },
  })
}

/** A function's role that may write only to its own log group (not the managed policy's every group). */
export function functionRole(scope: Construct, id: string, logGroup: logs.ILogGroup): iam.Role {
  return new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      logs: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          }),
        ],
      }),
    },
  })
}
