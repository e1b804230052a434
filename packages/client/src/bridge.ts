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
  const refused = (cause?: unknown) =>
    new RegionlessError('BRIDGE_FAILED', `Bridge into ${target} failed`, { cause, region: target })
  // The tokens in use first: the likeliest to be fresh.
  const source = [record.region, ...Object.keys(record.byRegion)]
    .filter((region) => region !== target)
    .map((region) => record.byRegion[region])
    .find((tokens) => isFresh(tokens, now))
  if (!source) throw refused()
  try {
    const open = await openChallenge(ctx, record.userId, { method: 'bridge' }, { only: [target] })
    const outcome = await answerChallenge(ctx, open, source.idToken)
    if ('next' in outcome) throw refused()
    return tokensFrom(outcome.tokens, ctx.config.now())
  } catch (err) {
    throw isOutageError(err) || hasCode(err, 'ALL_REGIONS_DOWN', 'BRIDGE_FAILED') ? err : refused(err)
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
      if (!record || (refusedUntil.get(target) ?? 0) > ctx.config.now()) return null
      try {
        const tokens = await bridgeTo(ctx, record, target)
        return (await ctx.sessions.put(target, tokens, record.userId)) ? tokens : null
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
