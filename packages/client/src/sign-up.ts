import type { ClientContext } from './context.js'
import { hasCode, RegionlessError } from './errors.js'
import { throwawayPassword, usernameForEmail } from './identity.js'
import { PERSIST_MS } from './persist.js'

/** Options of {@link AuthClient.signUp}. */
export interface SignUpOptions {
  email: string
}

/** What {@link AuthClient.signUp} resolves with. */
export interface SignUpResult {
  /** The stable user id, identical in every region. */
  userId: string
  /** The region that created the user (or already had it). */
  region: string
}

/** A sign-up's outcome as the client sees it; `created` is never shown to a UI (it would reveal who has an account). */
export interface AccountOutcome extends SignUpResult {
  created: boolean
}

/**
 * Creates the user with the backend's deterministic username, so signing up
 * twice, or in two regions at once, is the same user. An existing user is
 * success. Pools: hedged like InitiateAuth (SignUp sends no email, and two
 * regions creating the same username converge through replication), so a
 * black-holed or slow region costs a hedge delay, not a time-out. Replicas:
 * only the primary accepts writes; while it is down the error is
 * `PRIMARY_UNAVAILABLE`. `email` is checked (`checkEmail`) by the caller.
 */
export async function createAccount(ctx: ClientContext, email: string): Promise<AccountOutcome> {
  const userId = await usernameForEmail(email)
  const replicas = ctx.config.topology === 'replicas'
  const primary = ctx.config.primaryRegion
  try {
    const account = {
      Username: userId,
      Password: throwawayPassword(),
      UserAttributes: [{ Name: 'email', Value: email }],
    }
    // Replicas: the primary alone can create the user, and nobody waits on this call
    // (the sign-in goes ahead elsewhere), so a slow primary gets twice the usual time
    // (a browser's CORS preflight pays its latency once more).
    const timeoutMs = replicas ? ctx.config.timeoutMs * 2 : undefined
    const { region } = await ctx.router.run(
      (region, signal) => ctx.call(region, 'SignUp', { ClientId: region.clientId, ...account }, { signal, timeoutMs }),
      replicas ? { only: [primary], persistMs: PERSIST_MS } : { hedge: true },
    )
    return { userId, region: region.region, created: true }
  } catch (err) {
    if (hasCode(err, 'USER_EXISTS')) return { userId, region: err.region ?? primary, created: false }
    if (replicas && hasCode(err, 'ALL_REGIONS_DOWN')) {
      // Existing users can still sign in in the other regions.
      const { retryAfterSeconds } = err
      throw new RegionlessError('PRIMARY_UNAVAILABLE', `Sign-up needs the primary region ${primary}`, {
        cause: err,
        region: primary,
        retryAfterSeconds,
      })
    }
    throw err
  }
}
