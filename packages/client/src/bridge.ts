import { answerChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
import { revoke } from './revoke.js'
import { expiryOf, isFresh, tokensFrom } from './session-record.js'
import type { Tokens } from './state.js'

/**
 * Obtains sessions in peer pools by trading the first ID token of a sign-in
 * in one pool for a session in the target, through the bridge challenge that
 * the target's trigger checks against the source pool's keys. No email is
 * involved. A peer takes each sign-in once and never a refreshed ID token,
 * so the first one is kept (`signIns`) until it expires. Failures are
 * reported, not thrown, and a refused region is left alone for a while so a
 * bad configuration cannot cause a loop.
 */
export function createBridger(ctx: ClientContext) {
  const { config, sessions } = ctx
  const refusedUntil = new Map<string, number>()
  const running = new Map<string, Promise<Tokens | null>>()

  async function bridgeInto(target: string): Promise<Tokens | null> {
    const record = sessions.current()
    if (!record || (refusedUntil.get(target) ?? 0) > config.now()) return null
    const refused = (cause?: unknown) =>
      new RegionlessError('BRIDGE_FAILED', `Bridge into ${target} failed`, { cause, region: target })
    // The sign-in in use first: the likeliest to be recent enough.
    const { [target]: _, ...others } = record.signIns ?? {}
    const source = [others[record.region], ...Object.values(others)].find((t) => t && expiryOf(t) > config.now())
    try {
      if (!source) throw refused()
      const open = await openChallenge(ctx, record.userId, { method: 'bridge' }, { only: [target] })
      const outcome = await answerChallenge(ctx, open, source)
      if ('next' in outcome) throw refused()
      const tokens = tokensFrom(outcome.tokens, config.now())
      if (await sessions.put(target, tokens, record.userId, true)) return tokens
      // Signed out (or another user signed in) while this ran: the new session must not outlive that.
      await revoke(ctx, target, tokens).catch(ctx.report)
      return null
    } catch (err) {
      const outage = isOutageError(err)
      refusedUntil.set(target, config.now() + (outage ? 30_000 : 600_000))
      if (!outage && !hasCode(err, 'ALL_REGIONS_DOWN')) ctx.report(hasCode(err, 'BRIDGE_FAILED') ? err : refused(err))
      return null
    }
  }

  function bridge(target: string): Promise<Tokens | null> {
    const task = running.get(target) ?? bridgeInto(target).finally(() => running.delete(target))
    running.set(target, task)
    return task
  }

  return {
    bridge,
    /** Resolves when the bridges under way ended (sign-out waits for them, to revoke what they obtained). */
    settled: () => Promise.allSettled(running.values()),
    /** Bridges into each peer without a session; resolves when all attempts ended. */
    async bridgeAll(): Promise<void> {
      const record = sessions.current()
      if (!record || config.bridge === 'off') return
      const missing = ctx.router
        .ranked()
        .filter((region) => region !== record.region && !isFresh(record.byRegion[region], config.now()))
      await Promise.all(missing.map(bridge))
    },
  }
}
