import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import type { PasskeyStore } from '../passkeys/passkey-store.js'
import type { Peer } from './apply-change.js'
import { describeFailure, errorName, sendBounded } from './failures.js'
import { consoleLog, type ReplicationLog } from './log.js'
import { createMessage, isValidUsername } from './message.js'
import { enqueue, type ReplicationQueue } from './queue.js'
import type { TombstoneStore } from './tombstones.js'

export interface AccountDeletionOptions {
  /** The region this runs in: the source of the messages it queues. */
  region: string
  /** Every region's pool, this one included (admin clients with `AdminDeleteUser`). */
  pools: Peer[]
  /** This region's replication queue: deletes for pools that do not answer now. */
  queue: ReplicationQueue
  /** Shared by every region; written first, so nothing queued can re-create the user. */
  tombstones?: TombstoneStore
  /** The shared passkey store, when passkeys are on: the user's passkeys go with the account. */
  passkeys?: PasskeyStore
  /** Per Cognito call. Default 3000 ms. */
  timeoutMs?: number
  log?: ReplicationLog
  now?: () => number
}

export interface AccountDeletionResult {
  username: string
  /** The time the deletion is recorded at (the tombstone's and the queued messages'). */
  deletedAt: number
  /** Pools that deleted their copy now. */
  deleted: string[]
  /** Pools that had no copy (never reached yet, or deleted before). */
  absent: string[]
  /** Pools that did not answer: their delete is queued and applied when they do. */
  queued: string[]
  /** With passkeys on: whether the user's passkeys were removed now (otherwise the lifecycle handler does). */
  passkeysRemoved?: boolean
}

/**
 * Deletes a user's account from every region's pool: the way for people to
 * delete their own account. Cognito's self-service `DeleteUser` removes only
 * the copy of the pool it is called on, and its CloudTrail event does not say
 * whose account it was, so replication cannot follow it.
 *
 * Give it the username of a verified access token (for example from
 * `@regionless/verifier`) that its pool has confirmed
 * (`createAccessTokenConfirmation`: an offline check cannot see a sign-out),
 * never one taken from the request. It writes the
 * tombstone, deletes the copy in every pool at once, and queues the delete for
 * any pool that does not answer, so the account goes everywhere even while a
 * region is down. Safe to call again: a second call finds no copies.
 * Already issued tokens stay valid until they expire (one hour by default);
 * the user cannot sign in or refresh any more.
 *
 * @example
 * const deleteAccount = createAccountDeletion({ region, pools, queue, tombstones })
 * app.delete('/me', async (req, res) => {
 *   const { username, userPoolId } = await verifier.verify(bearer(req))
 *   const verdict = await confirm(bearer(req), { userPoolId })
 *   if (!verdict.active || verdict.username !== username) return res.status(401).json({ error: 'token_revoked' })
 *   res.json(await deleteAccount(username))
 * })
 */
export function createAccountDeletion(options: AccountDeletionOptions) {
  if (!options?.region || !Array.isArray(options.pools) || options.pools.length === 0) {
    throw new TypeError('createAccountDeletion needs region and pools')
  }
  if (!options.queue?.client || !options.queue.queueUrl) throw new TypeError('createAccountDeletion needs queue')
  const timeoutMs = options.timeoutMs ?? 3_000
  const log = options.log ?? consoleLog
  const now = options.now ?? Date.now

  // After the pools' deletes, so a passkey added meanwhile goes too. The token that asked is no good any
  // more, so the user cannot ask again: tried three times here, then logged as an error. Each pool deleted
  // now also fires the lifecycle handler (these calls carry no replication marker), which removes them
  // again with Lambda's retries and the lifecycle-failures queue behind it.
  async function removePasskeys(passkeys: PasskeyStore, username: string): Promise<boolean> {
    let error = ''
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await passkeys.removeAll(username)
        return true
      } catch (err) {
        error = describeFailure(err)
      }
    }
    log({ level: 'error', event: 'account-deletion.passkeys-deferred', username, error })
    return false
  }

  return async (username: string): Promise<AccountDeletionResult> => {
    if (!isValidUsername(username)) throw new TypeError('deleteAccount needs the username of a verified token')
    // The end of the *next* second. A change is stamped at the end of its second, or 1 ms after its copy's
    // previous stamp (rule 4), so a few changes made earlier in this second can carry stamps just past its
    // end; one still on its way to a peer would then count as newer than the delete and re-create the
    // account there. A second of margin puts the delete after every change made before the call.
    const deletedAt = Math.floor(now() / 1000) * 1000 + 1_999
    await options.tombstones?.put(username, deletedAt)
    const result: AccountDeletionResult = { username, deletedAt, deleted: [], absent: [], queued: [] }
    await Promise.all(
      options.pools.map(async (pool) => {
        try {
          await sendBounded(
            pool.client,
            new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: username }),
            AbortSignal.timeout(timeoutMs),
          )
          result.deleted.push(pool.region)
        } catch (err) {
          if (errorName(err) === 'UserNotFoundException') return void result.absent.push(pool.region)
          result.queued.push(pool.region)
          const error = describeFailure(err)
          log({ level: 'warn', event: 'account-deletion.deferred', username, target: pool.region, error })
        }
      }),
    )
    if (result.queued.length) {
      // Throws when the queue is unreachable too: the caller answers with an error and the user tries again.
      await enqueue(
        options.queue,
        result.queued.map((targetRegion) =>
          createMessage({ kind: 'delete', username, sourceRegion: options.region, targetRegion, changedAt: deletedAt }),
        ),
      )
    }
    if (options.passkeys) result.passkeysRemoved = await removePasskeys(options.passkeys, username)
    log({ level: 'info', event: 'account-deletion.done', ...result })
    return result
  }
}
