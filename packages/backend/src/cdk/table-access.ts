import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import { type KeyPrefix, leadingKeyPatterns } from '../stores/keys.js'

/** What one function does to the shared table: the calls it makes, on the items under these prefixes. */
export interface TableAccess {
  actions: readonly string[]
  prefixes: readonly KeyPrefix[]
}

/**
 * Each function's access to the shared table, read from the code it runs. Every function holds only
 * its own key prefixes (IAM `dynamodb:LeadingKeys`), so no function can write another's items: the
 * budgets cannot spend a link, a trigger cannot forge a tombstone.
 */
export const TABLE_ACCESS = {
  // The budgets (stores/dynamo-budget-store.ts): every region's item read, this region's put on a version.
  createAuthChallenge: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], prefixes: ['budget'] },
  // Links and bridged sign-ins spent once (a put if absent); the wrong-code budget (read and put).
  verifyAuthChallengeResponse: {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    prefixes: ['link', 'bridge', 'budget'],
  },
  // Tombstones (replication/tombstones.ts): read before creating a copy (upserts only)…
  postConfirmation: { actions: ['dynamodb:GetItem'], prefixes: ['tombstone'] },
  // …read, and written by a delete (apply-change.ts)…
  worker: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], prefixes: ['tombstone'] },
  reconcile: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], prefixes: ['tombstone'] },
  // …written first when a user is deleted (lifecycle.ts, delete-account.ts).
  lifecycle: { actions: ['dynamodb:PutItem'], prefixes: ['tombstone'] },
  accountDeletion: { actions: ['dynamodb:PutItem'], prefixes: ['tombstone'] },
} as const satisfies Record<string, TableAccess>

/**
 * What passkeys add, when they are on: one entry per call and prefix, since a prefix may allow fewer
 * calls than another (nothing but the owner's item is ever updated; a spent challenge is only put).
 */
export const PASSKEY_TABLE_ACCESS = {
  // The passkey API (passkeys/passkey-service.ts): reads and updates the caller's item (add, rename and
  // remove are conditional updates of one credential), issues challenges and spends registration ones.
  passkeyApi: [
    { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], prefixes: ['passkey'] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], prefixes: ['challenge'] },
    { actions: ['dynamodb:PutItem'], prefixes: ['webauthn'] },
  ],
  // A passkey sign-in's challenge, kept for whichever region the answer reaches.
  createAuthChallenge: [{ actions: ['dynamodb:PutItem'], prefixes: ['challenge'] }],
  // The user's passkeys read and their counter updated; an autofill challenge read; the answer spent.
  verifyAuthChallengeResponse: [
    { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], prefixes: ['passkey'] },
    { actions: ['dynamodb:GetItem'], prefixes: ['challenge'] },
    { actions: ['dynamodb:PutItem'], prefixes: ['webauthn'] },
  ],
  // A deleted user's passkeys removed (replication/lifecycle.ts, delete-account.ts).
  lifecycle: [{ actions: ['dynamodb:DeleteItem'], prefixes: ['passkey'] }],
  accountDeletion: [{ actions: ['dynamodb:DeleteItem'], prefixes: ['passkey'] }],
} as const satisfies Record<string, readonly TableAccess[]>

/** The statement granting `access` on the table at `tableArn`, scoped to the access's key prefixes. */
export function tableStatement(tableArn: string, access: TableAccess): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...access.actions],
    resources: [tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(access.prefixes) } },
  })
}

/** One statement per access, so each prefix holds only its own calls. */
export function grantTableAccess(fn: lambda.IFunction, tableArn: string, accesses: readonly TableAccess[]): void {
  for (const access of accesses) fn.addToRolePolicy(tableStatement(tableArn, access))
}
