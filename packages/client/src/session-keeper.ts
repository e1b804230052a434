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
  /** Stores the record; the state shows it as a new sign-in or as the same session updated. */
  save(record: SessionRecord, kind?: 'signed-in' | 'session'): Promise<void>
  /**
   * Stores new tokens for `region` (a refresh, or a new sign-in there: a bridge) into the stored record,
   * unless another user signed in (or out) meanwhile.
   */
  put(region: string, tokens: Tokens, userId: string, signIn?: boolean): Promise<boolean>
  clear(reason: 'user' | 'revoked'): Promise<void>
  close(): void
}

/**
 * Keeps the session record in memory, in storage, and in step with other tabs.
 * `onChange` is called after every change of the record, from this tab or another.
 */
export function createSessionKeeper(
  config: ResolvedConfig,
  storage: StorageAdapter,
  store: ReturnType<typeof createStore>,
  events: ReturnType<typeof createEmitter>,
  onChange: (record: SessionRecord | null) => void,
): SessionKeeper {
  const key = `${config.storageKey}.session`
  let record: SessionRecord | null = null

  const read = async () => {
    const stored = await readJson<unknown>(storage, key).catch(() => null)
    record = isSessionRecord(stored) ? stored : null
    return record
  }

  const channel = openTabChannel(config.storageKey, async (message) => {
    const before = record
    // The record the other tab wrote, as it wrote it; storage only when the message has none.
    record = message.type === 'signed-out' ? null : isSessionRecord(message.record) ? message.record : await read()
    const session = sessionOf(record)
    if (!record) {
      if (before) {
        store.dispatch({ type: 'signed-out' })
        events.emit('signedOut', { reason: 'other-tab' })
      }
    } else if (session) {
      store.dispatch({ type: before ? 'session' : 'signed-in', session })
      if (before) events.emit('tokenRefreshed', { session, region: session.region })
      else events.emit('signedIn', { session })
    }
    onChange(record)
  })

  const save: SessionKeeper['save'] = async (next, kind = 'session') => {
    record = next
    await writeJson(storage, key, next)
    const session = sessionOf(next)
    if (session) store.dispatch({ type: kind, session })
    channel.post('session', next)
    onChange(next)
  }

  const reread: SessionKeeper['reread'] = async () => {
    const session = sessionOf(await read())
    const shown = store.getSnapshot().session
    if (session?.tokens.accessToken !== shown?.tokens.accessToken || session?.region !== shown?.region) {
      store.dispatch({ type: 'session', session })
    }
    onChange(record)
    return record
  }

  return {
    current: () => record,
    async load() {
      const session = sessionOf(await read())
      store.dispatch({ type: 'loaded', session })
      events.emit('initialSession', { session })
      onChange(record)
    },
    reread,
    save,
    async put(region, tokens, userId, signIn) {
      // Merged into what storage holds now, not this tab's copy: another tab may
      // have rotated or added other regions' tokens, or signed out.
      const latest = await reread()
      if (latest?.userId !== userId) return false
      const signIns = signIn ? { ...latest.signIns, [region]: tokens.idToken } : latest.signIns
      await save({ ...latest, byRegion: { ...latest.byRegion, [region]: tokens }, ...(signIns && { signIns }) })
      events.emit('tokenRefreshed', { session: { userId, email: latest.email, region, tokens }, region })
      return true
    },
    async clear(reason) {
      const had = record || store.getSnapshot().session
      record = null
      await storage.removeItem(key)
      store.dispatch({ type: 'signed-out' })
      channel.post('signed-out')
      if (had) events.emit('signedOut', { reason })
      onChange(null)
    },
    close: channel.close,
  }
}
