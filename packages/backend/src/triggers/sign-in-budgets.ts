import { createHash } from 'node:crypto'
import { mailboxOf } from '../email/mailbox.js'
import { ChallengeError } from '../errors.js'
import { usernameForEmail } from '../identity/stable-username.js'
import { budgetKey } from '../stores/keys.js'
import { type BudgetVerdict, sendVerdict, windowVerdict } from './budget-rules.js'
import type { ResolvedOptions } from './options.js'

/**
 * Whom a budget counts: the username, the same for a known user and for an unknown name (so the
 * answers cannot tell them apart). An unknown user who typed an address is counted as the account
 * that address would have.
 */
export function budgetSubject(userName: string, userNotFound: boolean): string {
  if (userNotFound && userName.includes('@')) {
    try {
      return usernameForEmail(userName)
    } catch {
      // not an address after all: fall through
    }
  }
  return userName.trim().toLowerCase()
}

// A mailbox is keyed by a digest: no address is stored in the table.
const sendKey = (subject: string) => budgetKey('send', subject)
const wrongCodeKey = (subject: string) => budgetKey('wrong', subject)
const mailboxKey = (email: string) =>
  budgetKey('mailbox', createHash('sha256').update(mailboxOf(email)).digest('hex').slice(0, 32))

/** The budgets a sign-in spends, on the store every region reads. */
export function createSignInBudgets(options: ResolvedOptions) {
  const { budgets, send, lockout } = options

  function refuse(verdict: BudgetVerdict, code: 'RATE_LIMITED' | 'LOCKED_OUT', detail: string): void {
    if (verdict.ok) return
    const seconds = verdict.retryAfterSeconds
    throw new ChallengeError(code, `${detail} retryAfterSeconds=${seconds}`, { retryAfterSeconds: seconds })
  }

  async function spend(key: string, now: number): Promise<BudgetVerdict> {
    const since = now - Math.max(send.windowSeconds, send.intervalSeconds)
    let verdict: BudgetVerdict = { ok: true }
    await budgets.record(key, now, {
      since,
      keep: send.limit,
      expiresAt: now + send.windowSeconds,
      admit: (events, own) => {
        verdict = sendVerdict(events, own, now, send)
        return verdict.ok
      },
    })
    return verdict
  }

  return {
    /** Throws `LOCKED_OUT` while the subject's wrong codes fill the lock-out window. */
    async assertNotLocked(subject: string): Promise<void> {
      const now = options.nowSeconds()
      const events = await budgets.events(wrongCodeKey(subject), now - lockout.windowSeconds)
      refuse(windowVerdict(events, now, lockout), 'LOCKED_OUT', 'too many wrong codes')
    },

    /** Counts a wrong code against the subject, in every sign-in and region. */
    async recordWrongCode(subject: string): Promise<void> {
      const now = options.nowSeconds()
      await budgets.record(wrongCodeKey(subject), now, {
        since: now - lockout.windowSeconds,
        keep: lockout.limit,
        expiresAt: now + lockout.windowSeconds,
      })
    },

    /**
     * Spends one email of the subject's budget and, when a real address will receive it, of that
     * mailbox's (whatever the username, region or `+tag`). Throws `RATE_LIMITED` with the wait.
     */
    async spendSend(subject: string, to: string | undefined): Promise<void> {
      const now = options.nowSeconds()
      refuse(await spend(sendKey(subject), now), 'RATE_LIMITED', 'wait before asking for another email')
      if (to !== undefined)
        refuse(await spend(mailboxKey(to), now), 'RATE_LIMITED', 'wait before asking for another email')
    },
  }
}
