// Lambda entry of the replication handlers (bundled by the deploy app; not part of the package's index).
// Configuration is read once, at cold start; a bad variable fails every invocation with its name.
import { createReplicationHandlersFromEnv } from '../replication/from-env.js'

const handlers = createReplicationHandlersFromEnv(process.env)

export const postConfirmation = handlers.postConfirmation
export const replicationWorker = handlers.replicationWorker
export const lifecycle = handlers.lifecycle
export const reconcile = handlers.reconcile
export const accountDeletion = handlers.accountDeletion
