import { type MethodMetadata, type OpenChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import { hasCode } from './errors.js'
import { PERSIST_MS, sleep } from './persist.js'
import { hedgeDelay } from './region-health.js'
import { type AccountOutcome, createAccount } from './sign-up.js'

/** What the sign-up changes about a challenge that is already shown. */
export interface LateOutcome {
  /** A challenge opened where the new user exists, replacing the one shown (which sent nothing). */
  open?: OpenChallenge
  signUpUnavailable?: true
  error?: unknown
}

/** The first challenge of `signIn({ createAccount: true })`, and what may still change it. */
export interface FirstChallenge {
  open: OpenChallenge
  signUpUnavailable?: true
  /** Replicas with a slow primary: settles once the sign-up has, with what to change (null: nothing). */
  later?: Promise<LateOutcome | null>
}

type Settled = { ok: AccountOutcome } | { err: unknown }

/**
 * A user's first sign-in goes where the user exists (read your own writes).
 * Pools: the region that created the user is asked first; its peers got the
 * user from its Post confirmation, so they are a sound fallback. Replicas: the
 * secondary learns of a new user only after Cognito's replication lag, so the
 * primary is kept to for a while, also when it answers 500 now and then.
 */
function openWhereCreated(ctx: ClientContext, email: string, metadata: MethodMetadata, region: string) {
  if (ctx.config.topology === 'pools') return openChallenge(ctx, email, metadata, { prefer: region })
  return openChallenge(ctx, email, metadata, { only: [region], persistMs: PERSIST_MS }).catch((err) => {
    if (!hasCode(err, 'ALL_REGIONS_DOWN')) throw err
    return openChallenge(ctx, email, metadata)
  })
}

// The challenge that follows a settled sign-up.
async function afterSignUp(
  ctx: ClientContext,
  email: string,
  metadata: MethodMetadata,
  settled: Settled,
): Promise<FirstChallenge> {
  if ('ok' in settled) {
    const { created, region } = settled.ok
    return {
      open: await (created ? openWhereCreated(ctx, email, metadata, region) : openChallenge(ctx, email, metadata)),
    }
  }
  // Replicas with the primary out: existing users still sign in through a secondary.
  if (!hasCode(settled.err, 'PRIMARY_UNAVAILABLE')) throw settled.err
  return { open: await openChallenge(ctx, email, metadata), signUpUnavailable: true }
}

// What a sign-up that settled after the challenge was shown changes about it.
async function lateSignUp(
  ctx: ClientContext,
  email: string,
  metadata: MethodMetadata,
  shown: OpenChallenge,
  settled: Settled,
): Promise<LateOutcome | null> {
  if ('err' in settled) {
    return hasCode(settled.err, 'PRIMARY_UNAVAILABLE') ? { signUpUnavailable: true } : { error: settled.err }
  }
  const { created, region } = settled.ok
  // A new user asked for a code where it did not exist yet: that region sent nothing (the
  // look-alike challenge of unknown users), so the one email comes from the primary.
  if (!created || shown.region.region === region) return null
  return { open: await openWhereCreated(ctx, email, metadata, region) }
}

/**
 * Creates the account when the email is new, then opens the sign-in, as one
 * step for a UI: the outcome looks the same for new and existing users.
 * Pools: the sign-up is hedged across regions, so it never waits out a
 * time-out while a peer answers. Replicas: only the primary takes sign-ups;
 * if it has not answered within a hedge delay, the sign-in starts at the
 * best region at once (existing users get their code) and the sign-up's
 * outcome arrives in `later`.
 */
export async function openWithAccount(
  ctx: ClientContext,
  email: string,
  metadata: MethodMetadata,
): Promise<FirstChallenge> {
  const signUp = createAccount(ctx, email).then(
    (ok): Settled => ({ ok }),
    (err): Settled => ({ err }),
  )
  const { topology, primaryRegion, hedgeDelayMs } = ctx.config
  if (topology === 'pools') return afterSignUp(ctx, email, metadata, await signUp)
  const grace = sleep(hedgeDelay(ctx.router.health()[primaryRegion], hedgeDelayMs)).then(() => null)
  const early = await Promise.race([signUp, grace])
  if (early) return afterSignUp(ctx, email, metadata, early)
  const open = await openChallenge(ctx, email, metadata)
  return { open, later: signUp.then((settled) => lateSignUp(ctx, email, metadata, open, settled)) }
}
