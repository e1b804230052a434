import { clientTask } from './cognito.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, type RegionlessError } from './errors.js'
import type { RegionTask } from './region-router.js'
import { type AuthenticationResult, isFresh, type SessionRecord, tokensFrom } from './session-record.js'
import type { Tokens } from './state.js'

type RefreshAnswer = { AuthenticationResult?: AuthenticationResult }

/**
 * Refreshes each region's tokens shortly before they expire, with
 * GetTokensFromRefreshToken at the pool that issued them (replicas: any region,
 * the refresh token is valid in both, so the call is hedged like InitiateAuth).
 * With rotation on, the answer carries a new refresh token and the old one
 * dies after the grace period; a hedge's second leg either wins (the first
 * never arrived) or loses to the first, whose answer is kept. One tab
 * refreshes at a time under a cross-tab lock; the others read the result
 * from storage.
 */
export function createRefresher(ctx: ClientContext, onRegionLost: (region: string) => void) {
  const { config, sessions } = ctx
  const marginMs = config.refreshMarginSeconds * 1000
  const lockName = `${config.storageKey}.refresh`
  const retryAt = new Map<string, number>()
  const waiting = (region: string) => (retryAt.get(region) ?? 0) > config.now()
  // Regions whose endpoint does not know GetTokensFromRefreshToken (older
  // Cognito-compatible endpoints): REFRESH_TOKEN_AUTH from then on.
  const legacy = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  // GetTokensFromRefreshToken, the only refresh an app client with rotation accepts; REFRESH_TOKEN_AUTH
  // where the endpoint does not know it.
  const refreshWith =
    (refreshToken: string): RegionTask<RefreshAnswer> =>
    async (r, signal) => {
      if (!legacy.has(r.region))
        try {
          const task = clientTask<RefreshAnswer>(ctx.call, 'GetTokensFromRefreshToken', { RefreshToken: refreshToken })
          return await task(r, signal)
        } catch (err) {
          if (!(err as RegionlessError).cognitoType?.includes('UnknownOperation')) throw err
          legacy.add(r.region)
        }
      return clientTask<RefreshAnswer>(ctx.call, 'InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      })(r, signal)
    }

  function schedule(record: SessionRecord | null): void {
    clearTimeout(timer)
    if (!record || stopped) return
    const due = Object.entries(record.byRegion)
      .filter(([, tokens]) => tokens.refreshToken)
      .map(([region, tokens]) => Math.max(tokens.expiresAt - marginMs, retryAt.get(region) ?? 0))
    if (!due.length) return
    // A past time runs at once; longer than setTimeout's 32-bit limit waits at the limit.
    timer = setTimeout(refreshDue, Math.min(Math.min(...due) - config.now(), 2 ** 31 - 1))
    // A pending refresh must not keep a Node process (SSR, tests, CLIs) alive.
    ;(timer as { unref?: () => void }).unref?.()
  }

  async function refreshDue(): Promise<void> {
    await ctx.withLock(lockName, async () => {
      // Another tab may have refreshed while this one waited for the lock.
      const record = await sessions.reread()
      for (const [region, tokens] of Object.entries(record?.byRegion ?? {})) {
        if (!isFresh(tokens, config.now(), marginMs) && !waiting(region)) await refreshRegion(region)
      }
    })
    schedule(sessions.current())
  }

  // Inside the lock. Resolves with the new tokens, or null when the region could not refresh.
  async function refreshRegion(region: string): Promise<Tokens | null> {
    const record = sessions.current()
    const refreshToken = record?.byRegion[region]?.refreshToken
    if (!refreshToken) return null
    try {
      const task = refreshWith(refreshToken)
      const { AuthenticationResult: result } =
        config.topology === 'replicas'
          ? (await ctx.router.run(task, { hedge: true })).value
          : await ctx.router.attempt(region, task)
      if (!result) return null
      const fresh = tokensFrom(result, config.now(), refreshToken)
      retryAt.delete(region)
      return (await sessions.put(region, fresh, record!.userId)) ? fresh : null
    } catch (err) {
      // A refused refresh token was either spent by another tab (rotation: its
      // successor is in storage, use it) or revoked or expired, which ends this
      // region's session. Anything else keeps the tokens (the region may come
      // back before they expire) and tries again later, not in a loop.
      if (hasCode(err, 'NOT_AUTHORIZED', 'SESSION_EXPIRED')) {
        const stored = (await sessions.reread())?.byRegion[region]
        if (stored?.refreshToken !== refreshToken) return stored ?? null
        await drop(region)
      } else retryAt.set(region, config.now() + 15_000)
      if (!isOutageError(err) && !hasCode(err, 'ALL_REGIONS_DOWN')) ctx.report(err)
      else if (region === sessions.current()?.region) onRegionLost(region)
      return null
    }
  }

  async function drop(region: string): Promise<void> {
    const latest = sessions.current()
    if (!latest) return
    const { [region]: _gone, ...rest } = latest.byRegion
    const remaining = Object.keys(rest)
    if (!remaining.length) return sessions.clear('revoked')
    await sessions.save({ ...latest, byRegion: rest, region: rest[latest.region] ? latest.region : remaining[0]! })
  }

  return {
    schedule,
    /**
     * Refreshes one region now (an API answered 401), under the cross-tab lock.
     * If another tab already refreshed, its tokens are used instead.
     */
    refreshNow: (region: string, stale: Tokens | undefined): Promise<Tokens | null> =>
      ctx.withLock(lockName, async () => {
        const current = (await sessions.reread())?.byRegion[region]
        return current && stale && current.accessToken !== stale.accessToken && isFresh(current, config.now())
          ? current
          : refreshRegion(region)
      }),
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
