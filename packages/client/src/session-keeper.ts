import type { ResolvedConfig } from './config.js'
import { isSessionRecord, type SessionRecord, sessionOf } from './session-record.js'
import type { createEmitter, createStore, Tokens } from './state.js'
import { readJson, type StorageAdapter, writeJson } from './storage.js'
import { openTabChannel } from './tabs.js'

export interface SessionKeeper {
  current(): SessionRecord | null
  /** Reads the stored session once at start; emits `initialSession`. */
  load(): Promise<void>
  /** Reads storage again (another tab may have written); returns the record. */
  reread(): Promise<SessionRecord | null>
  save(record: SessionRecord, kind: 'signed-in' | 'updated'): Promise<void>
  /** Stores new tokens for `region` (a refresh, a bridge) unless another user signed in meanwhile. */
  put(region: string, tokens: Tokens, userId: string): Promise<boolean>
  clear(reason: 'user' | 'revoked'): Promise<void>
  /** Called after every change of the record, from this tab or another. */
  onChange(listener: (record: SessionRecord | null) => void): void
  close(): void
}

/** Keeps the session record in memory, in storage, and in step with other tabs. */
export function createSessionKeeper(
  config: ResolvedConfig,
  storage: StorageAdapter,
  store: ReturnType<typeof createStore>,
  events: ReturnType<typeof createEmitter>,
): SessionKeeper {
  const key = `${config.storageKey}.session`
  let record: SessionRecord | null = null
  const listeners: Array<(record: SessionRecord | null) => void> = []
  const changed = () => {
    for (const listener of listeners) listener(record)
  }

  const read = async () => {
    const stored = await readJson<unknown>(storage, key).catch(() => null)
    return isSessionRecord(stored) ? stored : null
  }

  const channel = openTabChannel(config.storageKey, (message) => {
    void (async () => {
      const before = record
      record = message.type === 'signed-out' ? null : await read()
      const session = sessionOf(record)
      if (!record) {
        if (before) {
          store.dispatch({ type: 'signed-out' })
          events.emit('signedOut', { reason: 'other-tab' })
        }
      } else if (!before && session) {
        store.dispatch({ type: 'signed-in', session })
        events.emit('signedIn', { session })
      } else if (session) {
        store.dispatch({ type: 'session', session })
        events.emit('tokenRefreshed', { session, region: session.region })
      }
      changed()
    })()
  })

  return {
    current: () => record,
    async load() {
      record = await read()
      const session = sessionOf(record)
      store.dispatch({ type: 'loaded', session })
      events.emit('initialSession', { session })
      changed()
    },
    async reread() {
      record = await read()
      const session = sessionOf(record)
      const shown = store.getSnapshot().session
      if (session?.tokens.accessToken !== shown?.tokens.accessToken || session?.region !== shown?.region) {
        store.dispatch({ type: 'session', session })
      }
      changed()
      return record
    },
    async save(next, kind) {
      record = next
      await writeJson(storage, key, next)
      const session = sessionOf(next)
      if (session) store.dispatch(kind === 'signed-in' ? { type: 'signed-in', session } : { type: 'session', session })
      channel.post('session')
      changed()
    },
    async put(region, tokens, userId) {
      const latest = record
      if (latest?.userId !== userId) return false
      await this.save({ ...latest, byRegion: { ...latest.byRegion, [region]: tokens } }, 'updated')
      events.emit('tokenRefreshed', { session: { userId, email: latest.email, region, tokens }, region })
      return true
    },
    async clear(reason) {
      const had = record !== null || store.getSnapshot().session !== null
      record = null
      await storage.removeItem(key)
      store.dispatch({ type: 'signed-out' })
      channel.post('signed-out')
      if (had) events.emit('signedOut', { reason })
      changed()
    },
    onChange(listener) {
      listeners.push(listener)
    },
    close() {
      channel.close()
    },
  }
}
