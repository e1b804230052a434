import type { EmailMessage } from '../../src/email/email-sender.js'
import { createLocalLinkKeys } from '../../src/links/local-link-keys.js'
import { createMemoryBudgetTable } from '../../src/stores/budget-store.js'
import { createMemorySingleUseStore } from '../../src/stores/single-use-store.js'
import { createAuthTriggers } from '../../src/triggers/auth-triggers.js'
import type { AuthTriggerOptions, TriggerLogEntry } from '../../src/triggers/options.js'
import { PEER_POOL_ID, POOL_ID } from './events.js'

export const AUDIENCE = 'regionless-test'
export const START_MS = Date.UTC(2026, 0, 15, 12, 0, 0)

/** Triggers wired to in-memory dependencies, a controllable clock, a spy inbox and a log. */
export function createHarness(overrides: Partial<AuthTriggerOptions> = {}) {
  const clock = { ms: START_MS }
  const inbox: EmailMessage[] = []
  const log: TriggerLogEntry[] = []
  const keys = createLocalLinkKeys()
  const store = createMemorySingleUseStore({ now: () => clock.ms })
  const options: AuthTriggerOptions = {
    email: { send: async (message) => void inbox.push(message) },
    links: {
      signer: keys.signer,
      verifier: keys.verifier,
      store,
      redirectAllowList: ['https://app.example.com/auth/', 'http://localhost:*'],
      audience: AUDIENCE,
      trustedPoolIds: [POOL_ID, PEER_POOL_ID],
    },
    budgets: createMemoryBudgetTable({ now: () => clock.ms }).forRegion('eu-west-1'),
    now: () => clock.ms,
    log: (entry) => void log.push(entry),
    ...overrides,
  }
  const triggers = createAuthTriggers(options)
  return {
    triggers,
    options,
    inbox,
    log,
    keys,
    store,
    clock,
    advance(seconds: number) {
      clock.ms += seconds * 1000
    },
    nowSeconds: () => Math.floor(clock.ms / 1000),
  }
}

/** Reads the token from a link email's fragment. */
export function tokenFromLink(link: string | undefined): string {
  const hash = new URL(link ?? '').hash
  const token = new URLSearchParams(hash.slice(1)).get('regionless-link')
  if (!token) throw new Error(`no token in ${link}`)
  return token
}
