/**
 * The rules of the sign-in budgets, as pure functions of the events seen (seconds since the epoch,
 * from every region). A refusal says how long to wait, so a UI can show it.
 */
export type BudgetVerdict = { ok: true } | { ok: false; retryAfterSeconds: number }

export interface WindowRule {
  /** At most this many events… */
  limit: number
  /** …in any window of this many seconds. */
  windowSeconds: number
}

export interface SendRule extends WindowRule {
  /** And at least this many seconds between two from one region. */
  intervalSeconds: number
}

const wait = (seconds: number): BudgetVerdict => ({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) })

/** Whether one more event fits `rule` at `now`; if not, when it will (the oldest counted event leaves the window). */
export function windowVerdict(events: number[], now: number, rule: WindowRule): BudgetVerdict {
  const counted = events.filter((t) => t > now - rule.windowSeconds).sort((a, b) => a - b)
  if (counted.length < rule.limit) return { ok: true }
  return wait(counted[counted.length - rule.limit]! + rule.windowSeconds - now)
}

/**
 * Whether one more email may go at `now`: the interval since this region's latest (`own`), then the
 * window's budget over every region (`events`). The interval is per region so that a sign-in whose
 * region fails after sending moves to a peer at once; the budget is what holds across regions.
 */
export function sendVerdict(events: number[], own: number[], now: number, rule: SendRule): BudgetVerdict {
  const latest = Math.max(-Infinity, ...own)
  if (now - latest < rule.intervalSeconds) return wait(latest + rule.intervalSeconds - now)
  return windowVerdict(events, now, rule)
}
