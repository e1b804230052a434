import type { ClientContext } from './context.js'
import { hasCode, isOutageError, type RegionlessError } from './errors.js'
import { type AuthenticationResult, isFresh, type SessionRecord, tokensFrom } from './session-record.js'
import type { Tokens } from './state.js'

const MAX_DELAY = 2 ** 31 - 1
const RETRY_AFTER_OUTAGE_MS = 15_000

/**
 * Refreshes each region's tokens shortly before they expire, with
 * REFRESH_TOKEN_AUTH at the pool that issued them (replicas: any region, the
 * refresh token is valid in both). One tab refreshes at a time; the others
 * read the result from storage.
 */
export function createRefresher(ctx: ClientContext, onRegionLost: (region: string) => void) {
  const { config } = ctx
  const marginMs = config.refreshMarginSeconds * 1000
  const lockName = `${config.storageKey}.refresh`
  const retryAt = new Map<string, number>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  function schedule(record: SessionRecord | null): void {
    clearTimeout(timer)
    timer = undefined
    if (!record || stopped) return
    const due = Object.entries(record.byRegion)
      .filter(([, tokens]) => tokens.refreshToken)
      .map(([region, tokens]) => Math.max(tokens.expiresAt - marginMs, retryAt.get(region) ?? 0))
    if (due.length === 0) return
    const delay = Math.min(Math.max(0, Math.min(...due) - config.now()), MAX_DELAY)
    timer = setTimeout(() => void refreshDue(), delay)
    // A pending refresh must not keep a Node process (SSR, tests, CLIs) alive.
    ;(timer as { unref?: () => void }).unref?.()
  }

  async function refreshDue(): Promise<void> {
    await ctx.withLock(lockName, async () => {
      // Another tab may have refreshed while this one waited for the lock.
      const record = await ctx.sessions.reread()
      if (!record) return
      const now = config.now()
      for (const [region, tokens] of Object.entries(record.byRegion)) {
        if (isFresh(tokens, now, marginMs) || (retryAt.get(region) ?? 0) > now) continue
        await refreshRegion(region)
      }
    })
    schedule(ctx.sessions.current())
  }

  // Inside the lock. Resolves with the new tokens, or null when the region could not refresh.
  async function refreshRegion(region: string): Promise<Tokens | null> {
    const record = ctx.sessions.current()
    const tokens = record?.byRegion[region]
    if (!record || !tokens?.refreshToken) return null
    const refreshToken = tokens.refreshToken
    try {
      const task = (r: Parameters<Parameters<typeof ctx.router.attempt>[1]>[0], signal: AbortSignal) =>
        ctx.call<{ AuthenticationResult?: AuthenticationResult }>(
          r,
          'InitiateAuth',
          { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: r.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } },
          { signal },
        )
      const answer =
        config.topology === 'replicas' ? (await ctx.router.run(task)).value : await ctx.router.attempt(region, task)
      if (!answer.AuthenticationResult) return null
      const fresh = tokensFrom(answer.AuthenticationResult, config.now(), refreshToken)
      retryAt.delete(region)
      return (await ctx.sessions.put(region, fresh, record.userId)) ? fresh : null
    } catch (err) {
      // A revoked or expired refresh token ends this region's session; anything
      // else keeps the tokens (the region may come back before they expire)
      // and tries again later, not in a loop.
      if (hasCode(err, 'NOT_AUTHORIZED', 'SESSION_EXPIRED')) await drop(region)
      else retryAt.set(region, config.now() + RETRY_AFTER_OUTAGE_MS)
      if (!isOutageError(err) && !hasCode(err, 'ALL_REGIONS_DOWN')) ctx.report(err as RegionlessError)
      else if (region === ctx.sessions.current()?.region) onRegionLost(region)
      return null
    }
  }

  async function drop(region: string): Promise<void> {
    const latest = ctx.sessions.current()
    if (!latest) return
    const { [region]: _gone, ...rest } = latest.byRegion
    const remaining = Object.keys(rest)
    if (remaining.length === 0) return ctx.sessions.clear('revoked')
    await ctx.sessions.save(
      { ...latest, byRegion: rest, region: rest[latest.region] ? latest.region : remaining[0]! },
      'updated',
    )
  }

  return {
    schedule,
    /**
     * Refreshes one region now (an API answered 401), under the cross-tab lock.
     * If another tab already refreshed, its tokens are used instead.
     */
    refreshNow(region: string, stale: Tokens | undefined): Promise<Tokens | null> {
      return ctx.withLock(lockName, async () => {
        const record = await ctx.sessions.reread()
        const current = record?.byRegion[region]
        if (current && stale && current.accessToken !== stale.accessToken && isFresh(current, config.now())) {
          return current
        }
        return refreshRegion(region)
      })
    },
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
