import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { SQSClient } from '@aws-sdk/client-sqs'
import {
  type AccountDeletionResult,
  type ConfirmAccessToken,
  createAccessTokenConfirmation,
  createAccountDeletion,
} from '@regionless/backend/replication'

/** `DELETE /me`: confirm the token with its pool, then delete the account in every region. */
export interface AccountDeletion {
  /**
   * Asks the issuing pool (`GetUser`) whether the access token still holds: the offline check cannot
   * see a sign-out or a revocation, and a stolen token must not delete anyone's account.
   */
  confirmToken: ConfirmAccessToken
  /** Deletes a verified user's account in every region (see `createAccountDeletion`). */
  deleteAccount: (username: string) => Promise<AccountDeletionResult>
}

// The emulator accepts any credentials; in AWS the API's role needs cognito-idp:AdminDeleteUser on every
// pool and sqs:SendMessage on its region's replication queue, nothing more (GetUser needs no permission:
// the access token is its credential).
const credentials = { accessKeyId: 'example', secretAccessKey: 'example' }

/**
 * Account deletion wired to the emulator's pools and to this region's
 * replication queue. Undefined when the emulator runs without replication
 * (no queues): a deletion could then not reach a region that is down.
 */
export async function accountDeletionFromEmulator(
  controlUrl: string,
  region: string,
): Promise<AccountDeletion | undefined> {
  const get = async <T>(path: string) => (await (await fetch(new URL(path, controlUrl))).json()) as T
  const config = await get<{ regions: { region: string; userPoolId: string; endpoint: string }[] }>(
    '/_regionless/config',
  )
  const queues = await get<{ region: string; sqsEndpoint: string; queueUrl: string }[]>('/_regionless/queues')
  const own = queues.find((q) => q.region === region)
  if (!own) return undefined
  const pools = config.regions.map((pool) => ({
    region: pool.region,
    userPoolId: pool.userPoolId,
    client: new CognitoIdentityProviderClient({
      region: pool.region,
      endpoint: pool.endpoint,
      credentials,
      maxAttempts: 1,
    }),
  }))
  const deleteAccount = createAccountDeletion({
    region,
    pools,
    queue: {
      client: new SQSClient({ region, endpoint: own.sqsEndpoint, credentials }),
      queueUrl: own.queueUrl,
    },
    log: (entry) => console.log(`[api ${region}] ${JSON.stringify(entry)}`),
  })
  return { deleteAccount, confirmToken: createAccessTokenConfirmation({ pools }) }
}
