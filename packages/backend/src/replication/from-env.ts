import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SQSClient } from '@aws-sdk/client-sqs'
import { bearerToken } from '@regionless/verifier'
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyStructuredResultV2,
  PostConfirmationTriggerEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda'
import { ConfigError } from '../errors.js'
import { createDynamoPasskeyStore } from '../passkeys/dynamo-passkey-store.js'
import { readEnvSettings } from '../settings/env.js'
import { REPLICATION_ENV, REPLICATION_SETTINGS } from '../settings/replication-settings.js'
import type { Peer } from './apply-change.js'
import type { CognitoApiCallEvent } from './cloudtrail-event.js'
import { type ConfirmAccessToken, createAccessTokenConfirmation } from './confirm-token.js'
import { createAccountDeletion } from './delete-account.js'
import { describeFailure } from './failures.js'
import { createLifecycleReplicator, type LifecycleResult, REPLICATION_USER_AGENT } from './lifecycle.js'
import { createReconcileSteps } from './reconcile-steps.js'
import { createReplicateOnConfirm } from './replicate-on-confirm.js'
import { createDynamoTombstoneStore } from './tombstones.js'
import { createReplicationWorker } from './worker.js'

export interface ReplicationEnvConfig {
  region: string
  userPoolId: string
  peers: { region: string; userPoolId: string }[]
  queueUrl: string
  dlqUrl?: string
  tableName?: string
  ignorePrincipals: string[]
  /** The scheduled reconciliation's choice for a user missing from some pools with no tombstone. */
  reconcileMissing?: 'create' | 'report'
  reconcileListUsersRps?: number
  reconcileRepairRps?: number
  reconcileShardConcurrency?: number
  reconcileOtherUsernames?: boolean
  /** Passkeys are on: a deleted user's passkeys are removed from the table. */
  removePasskeys?: boolean
}

const validPeers = (peers: unknown): peers is ReplicationEnvConfig['peers'] =>
  Array.isArray(peers) &&
  peers.every(
    (p) =>
      typeof p?.region === 'string' && typeof p?.userPoolId === 'string' && p.userPoolId.startsWith(`${p.region}_`),
  )

/** Validates the replication variables; a mistake names its variable. */
export function parseReplicationEnv(env: Record<string, string | undefined>): ReplicationEnvConfig {
  const { peers, ignorePrincipals, ...values } = readEnvSettings(env, REPLICATION_SETTINGS)
  if (!validPeers(peers)) {
    throw new ConfigError(
      REPLICATION_ENV.peers,
      'must be a JSON array of { region, userPoolId } (pool ids start with their region)',
    )
  }
  const config = values as Omit<ReplicationEnvConfig, 'peers' | 'ignorePrincipals'>
  if (!/^https?:\/\//.test(config.queueUrl)) throw new ConfigError(REPLICATION_ENV.queueUrl, 'must be a queue URL')
  return {
    ...config,
    peers: peers.filter((p) => p.region !== config.region),
    ignorePrincipals: (ignorePrincipals as string[] | undefined) ?? [...REPLICATION_SETTINGS.ignorePrincipals.default],
  }
}

/** Clients to use instead of default ones (tests pass mocked ones). */
export interface ReplicationClients {
  cognito?: (region: string) => CognitoIdentityProviderClient
  sqs?: SQSClient
  dynamo?: DynamoDBClient
}

/**
 * The four replication handlers as deployed to Lambda, configured from the
 * environment at cold start. Replication's Cognito clients send the
 * `regionless-replication` user agent marker, so the lifecycle handler
 * ignores the calls they make.
 *
 * @example
 * const handlers = createReplicationHandlersFromEnv(process.env)
 * export const replicationWorker = handlers.replicationWorker
 */
export function createReplicationHandlersFromEnv(
  env: Record<string, string | undefined>,
  clients: ReplicationClients = {},
) {
  const config = parseReplicationEnv(env)
  const cognito =
    clients.cognito ??
    ((region: string) =>
      new CognitoIdentityProviderClient({ region, customUserAgent: REPLICATION_USER_AGENT, maxAttempts: 2 }))
  const local = cognito(config.region)
  const peers: Peer[] = config.peers.map((p) => ({ ...p, client: cognito(p.region) }))
  const sqs = clients.sqs ?? new SQSClient({ region: config.region })
  const queue = { client: sqs, queueUrl: config.queueUrl }
  const tombstones = config.tableName
    ? createDynamoTombstoneStore({ client: clients.dynamo ?? new DynamoDBClient({}), tableName: config.tableName })
    : undefined
  const options = { region: config.region, userPoolId: config.userPoolId, ...(tombstones && { tombstones }) }
  if (config.removePasskeys && !config.tableName) {
    throw new ConfigError(REPLICATION_ENV.removePasskeys, `needs ${REPLICATION_ENV.tableName}, where the passkeys are`)
  }
  const passkeys =
    config.removePasskeys && config.tableName
      ? createDynamoPasskeyStore({ client: clients.dynamo ?? new DynamoDBClient({}), tableName: config.tableName })
      : undefined

  const postConfirmation: (event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent> =
    createReplicateOnConfirm({ ...options, client: local, peers, queue })
  const replicationWorker: (event: SQSEvent) => Promise<SQSBatchResponse> = createReplicationWorker({
    ...options,
    peers: [{ region: config.region, userPoolId: config.userPoolId, client: local }, ...peers],
    queue,
  })
  const lifecycle: (event: CognitoApiCallEvent) => Promise<LifecycleResult> = createLifecycleReplicator({
    ...options,
    client: local,
    peerRegions: config.peers.map((p) => p.region),
    queue,
    ignorePrincipals: config.ignorePrincipals,
    ...(passkeys && { passkeys }),
  })
  const reconcile = createReconcileSteps({
    pools: [{ region: config.region, userPoolId: config.userPoolId, client: local }, ...peers],
    tombstones,
    // Never `create` by default: a self-service DeleteUser leaves no tombstone, and creating would undo it.
    missing: config.reconcileMissing ?? REPLICATION_SETTINGS.reconcileMissing.default,
    listUsersRps: config.reconcileListUsersRps ?? REPLICATION_SETTINGS.reconcileListUsersRps.default,
    repairRps: config.reconcileRepairRps ?? REPLICATION_SETTINGS.reconcileRepairRps.default,
    shardConcurrency: config.reconcileShardConcurrency ?? REPLICATION_SETTINGS.reconcileShardConcurrency.default,
    otherUsernames: config.reconcileOtherUsernames ?? REPLICATION_SETTINGS.reconcileOtherUsernames.default,
    ...(config.dlqUrl && { deadLetterQueues: [{ region: config.region, client: sqs, queueUrl: config.dlqUrl }] }),
  })
  // Built on first use: every handler shares this entry, and only the account-deletion function needs its
  // clients. Without the replication marker, so the lifecycle handler also sees these deletes.
  const plain = (region: string) =>
    clients.cognito?.(region) ?? new CognitoIdentityProviderClient({ region, maxAttempts: 1 })
  let deletion: { deleteAccount: ReturnType<typeof createAccountDeletion>; confirm: ConfirmAccessToken } | undefined
  const accountDeletion = (event: AuthorizedHttpEvent) => {
    if (!deletion) {
      const pools = [
        { region: config.region, userPoolId: config.userPoolId, client: plain(config.region) },
        ...config.peers.map((p) => ({ ...p, client: plain(p.region) })),
      ]
      deletion = {
        deleteAccount: createAccountDeletion({
          region: config.region,
          pools,
          queue,
          ...(tombstones && { tombstones }),
          ...(passkeys && { passkeys }),
        }),
        confirm: createAccessTokenConfirmation({ pools }),
      }
    }
    return deleteAccountRoute(event, deletion.deleteAccount, deletion.confirm)
  }
  return { postConfirmation, replicationWorker, lifecycle, reconcile, accountDeletion, config }
}

/** An HTTP API (payload 2.0) request behind the verifier's Lambda authorizer (simple responses). */
export type AuthorizedHttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, string | undefined>>

const answer = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  }) satisfies APIGatewayProxyStructuredResultV2

const REVOKED = {
  error: 'token_revoked',
  message: 'This access token was revoked or its user signed out everywhere: sign in again.',
}

/**
 * `DELETE /me`: the username comes from the authorizer's context (a verified
 * token), never from the request; only an access token may delete. The
 * authorizer checks tokens offline (and API Gateway caches its answers), so a
 * token revoked by sign-out would still pass: the issuing pool confirms it
 * (`GetUser`) before anything is deleted.
 */
export async function deleteAccountRoute(
  event: AuthorizedHttpEvent,
  deleteAccount: ReturnType<typeof createAccountDeletion>,
  confirm: ConfirmAccessToken,
): Promise<APIGatewayProxyStructuredResultV2> {
  const context = event?.requestContext?.authorizer?.lambda ?? {}
  if (!context.username || context.tokenUse !== 'access') return answer(401, { error: 'access_token_required' })
  const token = tokenOf(event)
  if (!token || !context.userPoolId) return answer(401, { error: 'access_token_required' })
  try {
    const verdict = await confirm(token, { userPoolId: context.userPoolId })
    if (!verdict.active || verdict.username !== context.username) return answer(401, REVOKED)
  } catch (err) {
    // Unconfirmed is not confirmed: nothing is deleted on a token Cognito could not vouch for.
    console.error(
      JSON.stringify({ level: 'error', event: 'account-deletion.unconfirmed', error: describeFailure(err) }),
    )
    return answer(503, { error: 'try_again' }, { 'retry-after': '5' })
  }
  try {
    const { deleted, absent, queued } = await deleteAccount(context.username)
    return answer(200, { deleted, absent, queued })
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'account-deletion.failed', error: describeFailure(err) }))
    return answer(503, { error: 'try_again' }, { 'retry-after': '5' })
  }
}

function tokenOf(event: AuthorizedHttpEvent): string | undefined {
  const headers = event?.headers ?? {}
  const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1]
  try {
    return bearerToken(header)
  } catch {
    return undefined
  }
}
