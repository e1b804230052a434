import { clientTask } from './cognito.js'
import type { ClientContext } from './context.js'
import { hasCode, RegionlessError } from './errors.js'
import { checkEmail, throwawayPassword, usernameForEmail } from './identity.js'

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

/**
 * Creates the user with the backend's deterministic username, so signing up
 * twice, or in two regions at once, is the same user. An existing user is
 * success (and indistinguishable from a new one). Pools: the healthiest
 * region. Replicas: only the primary accepts writes.
 */
export async function signUp(ctx: ClientContext, options: SignUpOptions): Promise<SignUpResult> {
  const email = checkEmail(options?.email)
  const userId = await usernameForEmail(email)
  const replicas = ctx.config.topology === 'replicas'
  const primary = ctx.config.primaryRegion
  try {
    const { region } = await ctx.router.run(
      clientTask(ctx.call, 'SignUp', {
        Username: userId,
        Password: throwawayPassword(),
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
      replicas ? { only: [primary] } : {},
    )
    return { userId, region: region.region }
  } catch (err) {
    if (hasCode(err, 'USER_EXISTS')) return { userId, region: err.region ?? primary }
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
