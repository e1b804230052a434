import type { OpenChallenge } from './challenge.js'
import type { ResolvedConfig } from './config.js'
import type { ChallengeState } from './state.js'
import { readJson, type StorageAdapter, writeJson } from './storage.js'

/** A sign-in waiting for its code or link, as kept in storage. */
export interface PendingSignIn {
  open: OpenChallenge
  email: string
  redirectUri?: string
}

interface Stored {
  open: Omit<OpenChallenge, 'region'> & { region: string }
  email: string
  redirectUri?: string
  state: ChallengeState
  savedAt: number
}

// Cognito's challenge session lives 3 to 15 minutes (AuthSessionValidity): a
// stored sign-in older than the longest cannot be answered any more.
const MAX_AGE_MS = 15 * 60_000

/**
 * Keeps the sign-in in progress in storage, so a reload lands back on the
 * code step with its resend countdown instead of sending a second email.
 * The Cognito session string is short-lived and useless without the emailed
 * code, which is never stored.
 */
export function createChallengeRecord(config: ResolvedConfig, storage: StorageAdapter) {
  const key = `${config.storageKey}.challenge`
  const clear = () => Promise.resolve(storage.removeItem(key)).catch(() => {})
  return {
    save: (pending: PendingSignIn, state: ChallengeState) =>
      writeJson(storage, key, {
        ...pending,
        open: { ...pending.open, region: pending.open.region.region },
        state,
        savedAt: config.now(),
      } satisfies Stored).catch(() => {}),
    clear,
    async load(): Promise<{ pending: PendingSignIn; state: ChallengeState } | null> {
      const stored = await readJson<Stored>(storage, key).catch(() => null)
      const region = config.regions.find((r) => r.region === stored?.open?.region)
      if (!stored || !region || typeof stored.open.session !== 'string' || !stored.state) return null
      if (!(config.now() - stored.savedAt < MAX_AGE_MS)) {
        await clear()
        return null
      }
      const { state, savedAt: _, ...pending } = stored
      return { pending: { ...pending, open: { ...stored.open, region } }, state }
    },
  }
}
