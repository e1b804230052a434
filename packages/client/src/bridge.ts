import { answerChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
import { isFresh, type SessionRecord, tokensFrom } from './session-record.js'
import type { Tokens } from './state.js'

/**
 * Trades a valid ID token of one pool for a session in `target`, through the
 * bridge challenge that the target's trigger checks against the source pool's
 * keys. No email is involved.
 */
export async function bridgeTo(ctx: ClientContext, record: SessionRecord, target: string): Promise<Tokens> {
  const now = ctx.config.now()
  const source = Object.entries(record.byRegion)
    .filter(([region, tokens]) => region !== target && isFresh(tokens, now))
    .sort(([a], [b]) => (a === record.region ? -1 : b === record.region ? 1 : 0))[0]
  if (!source) throw new RegionlessError('BRIDGE_FAILED', `No valid token to bridge into ${target}`, { region: target })
  try {
    const open = await openChallenge(ctx, record.userId, { method: 'bridge' }, { only: [target] })
    const outcome = await answerChallenge(ctx, open, source[1].idToken)
    if ('next' in outcome)
      throw new RegionlessError('BRIDGE_FAILED', `${target} refused the bridge`, { region: target })
    return tokensFrom(outcome.tokens, ctx.config.now())
  } catch (err) {
    if (isOutageError(err) || hasCode(err, 'ALL_REGIONS_DOWN', 'BRIDGE_FAILED')) throw err
    throw new RegionlessError('BRIDGE_FAILED', `${target} refused the bridge`, { cause: err, region: target })
  }
}

/**
 * Bridges into every peer pool that has no usable session yet. Failures are
 * reported, not thrown, and a refused region is left alone for a while so a
 * bad configuration cannot cause a loop.
 */
export function createBridger(ctx: ClientContext) {
  const refusedUntil = new Map<string, number>()
  const running = new Map<string, Promise<Tokens | null>>()

  function bridge(target: string): Promise<Tokens | null> {
    const existing = running.get(target)
    if (existing) return existing
    const task = (async () => {
      const record = ctx.sessions.current()
      if (!record) return null
      if ((refusedUntil.get(target) ?? 0) > ctx.config.now()) return null
      try {
        const tokens = await bridgeTo(ctx, record, target)
        const latest = ctx.sessions.current()
        if (!latest || latest.userId !== record.userId) return null
        await ctx.sessions.save({ ...latest, byRegion: { ...latest.byRegion, [target]: tokens } }, 'updated')
        const { userId, email } = latest
        ctx.events.emit('tokenRefreshed', { session: { userId, email, region: target, tokens }, region: target })
        return tokens
      } catch (err) {
        refusedUntil.set(target, ctx.config.now() + (isOutageError(err) ? 30_000 : 600_000))
        if (hasCode(err, 'BRIDGE_FAILED')) ctx.report(err)
        return null
      }
    })().finally(() => running.delete(target))
    running.set(target, task)
    return task
  }

  return {
    bridge,
    /** Bridges into each peer without a session; resolves when all attempts ended. */
    async bridgeAll(): Promise<void> {
      const record = ctx.sessions.current()
      if (!record || ctx.config.bridge === 'off') return
      const now = ctx.config.now()
      const missing = ctx.router
        .ranked()
        .filter((region) => region !== record.region && !isFresh(record.byRegion[region], now))
      await Promise.all(missing.map(bridge))
    },
  }
}
