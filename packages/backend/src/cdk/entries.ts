import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ReplicationEntries } from './replication.js'

/** Entry files of every handler the construct deploys. */
export interface RegionlessEntries {
  /** Exports `defineAuthChallenge`, `createAuthChallenge`, `verifyAuthChallengeResponse`, `preSignUp`. */
  authTriggers: { entry: string }
  replication: ReplicationEntries
  httpAuthorizer: { entry: string; exportName: string }
  /** The passkey API (deployed when `passkeys.rpId` is set). */
  passkeys: { entry: string; exportName: string }
}

// src/cdk/entries.ts and dist/cdk/index.js both sit two levels below the package root.
function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url))
}

/**
 * The entries inside this package's sources (bundled from TypeScript by esbuild at synth time).
 * A missing file throws at bundling, naming the path.
 */
export function defaultEntries(root: string = packageRoot()): RegionlessEntries {
  const src = (path: string) => `${root}src/${path}`
  const replication = src('lambda/replication.ts')
  return {
    authTriggers: { entry: src('lambda/auth-triggers.ts') },
    replication: {
      postConfirmation: { entry: replication, exportName: 'postConfirmation' },
      worker: { entry: replication, exportName: 'replicationWorker' },
      lifecycle: { entry: replication, exportName: 'lifecycle' },
      reconcile: { entry: replication, exportName: 'reconcile' },
      accountDeletion: { entry: replication, exportName: 'accountDeletion' },
    },
    httpAuthorizer: { entry: src('lambda/http-authorizer.ts'), exportName: 'handler' },
    passkeys: { entry: src('lambda/passkeys.ts'), exportName: 'handler' },
  }
}

/** True when the replication handlers' entry exists in this checkout. */
export function hasReplicationEntry(entries: RegionlessEntries = defaultEntries()): boolean {
  return existsSync(entries.replication.worker.entry)
}
