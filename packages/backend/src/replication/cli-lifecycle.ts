import { LambdaClient } from '@aws-sdk/client-lambda'
import { SQSClient } from '@aws-sdk/client-sqs'
import type { CliArgs } from './cli-args.js'
import { UsageError } from './cli-args.js'
import type { CliCredentials } from './cli-credentials.js'
import { emulatorInvoke, lambdaInvoke } from './lifecycle-invoke.js'
import { redriveLifecycleFailures } from './redrive-lifecycle.js'

/**
 * `regionless-backend redrive-lifecycle`: replays a region's lifecycle-failures queue through its
 * lifecycle function (AWS: `--queue-url`, `--function`) or the emulator's handler (`--emulator`,
 * `--region`). Exit code 0 when the queue was emptied, 1 when something was left in it.
 */
export async function runRedriveLifecycle(
  args: CliArgs,
  io: { out: (line: string) => void; env: Record<string, string | undefined>; fetch: typeof fetch },
  known: { region: string; lifecycleFailuresUrl?: string }[],
  credentials: CliCredentials | undefined,
): Promise<number> {
  const queueUrl = args.queueUrl ?? known.find((q) => q.region === args.region)?.lifecycleFailuresUrl
  if (!queueUrl) throw new UsageError('redrive-lifecycle needs --queue-url (or --emulator and --region)')
  if (args.emulator && !args.region) throw new UsageError('redrive-lifecycle with --emulator needs --region')
  if (!args.emulator && !args.functionName) {
    throw new UsageError('redrive-lifecycle needs --function NAME, the region’s lifecycle function')
  }
  // The emulator's queue URLs name `sqs.<region>.localhost`; its SQS server listens on 127.0.0.1, same port.
  const endpoint = args.sqsEndpoint ?? (args.emulator ? `http://127.0.0.1:${new URL(queueUrl).port}` : undefined)
  const region = args.region ?? /sqs\.([a-z0-9-]+)\.amazonaws/.exec(queueUrl)?.[1] ?? io.env.AWS_REGION ?? 'us-east-1'
  const sqs = new SQSClient({ region, ...(endpoint && { endpoint }), ...(credentials && { credentials }) })
  const lambda = args.emulator ? undefined : new LambdaClient({ region, ...(credentials && { credentials }) })
  try {
    const invoke = lambda
      ? lambdaInvoke(lambda, args.functionName as string)
      : emulatorInvoke(io.fetch, args.emulator as string, region)
    const report = await redriveLifecycleFailures({
      client: sqs,
      queueUrl,
      invoke,
      dryRun: args.dryRun,
      ...(args.max && { max: args.max }),
      progress: io.out,
    })
    for (const f of report.failed) io.out(`failed again ${f.messageId}: ${f.error} (left in the queue)`)
    for (const u of report.unreadable) io.out(`unreadable ${u.messageId}: ${u.error} (left in the queue)`)
    io.out(
      report.dryRun
        ? `found ${report.found}, would replay ${report.wouldReplay}, unreadable ${report.unreadable.length} (dry run: nothing replayed)`
        : `found ${report.found}, replayed ${report.redriven}, failed again ${report.failed.length}, unreadable ${report.unreadable.length}`,
    )
    return report.failed.length || report.unreadable.length ? 1 : 0
  } finally {
    sqs.destroy()
    lambda?.destroy()
  }
}
