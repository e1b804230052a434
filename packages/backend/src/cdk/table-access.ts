import * as iam from 'aws-cdk-lib/aws-iam'
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

/** The statement granting `access` on the table at `tableArn`, scoped to the access's key prefixes. */
export function tableStatement(tableArn: string, access: TableAccess): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...access.actions],
    resources: [tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(access.prefixes) } },
  })
}
