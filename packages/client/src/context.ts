import type { CognitoCall } from './cognito.js'
import type { ResolvedConfig } from './config.js'
import type { RegionRouter } from './region-router.js'
import type { SessionKeeper } from './session-keeper.js'
import type { createEmitter, createStore } from './state.js'

/** What the flows share inside one client. Nothing here is global. */
export interface ClientContext {
  config: ResolvedConfig
  call: CognitoCall
  router: RegionRouter
  store: ReturnType<typeof createStore>
  events: ReturnType<typeof createEmitter>
  sessions: SessionKeeper
  withLock: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  /** Reports a failure of background work (refresh, bridge) to `error` listeners, as a `RegionlessError`. */
  report(error: unknown): void
}
