import { clientTask } from './cognito.js'
import type { ResolvedRegion } from './config.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
import { usernameForEmail } from './identity.js'
import { nextPause, persistently, sleep, worthAnotherTry } from './persist.js'
import type { RunOptions } from './region-router.js'
import type { AuthenticationResult } from './session-record.js'

/** Metadata of the "method" answer; see the shared protocol contract. */
export interface MethodMetadata {
  method: 'code' | 'link' | 'bridge' | 'passkey'
  /** Link: where the emailed link leads. */
  redirectUri?: string
  /** Link: 'true' when redeeming a link already held (nothing is sent). */
  redeem?: 'true'
}

/** A CUSTOM_AUTH challenge waiting for its real answer in one region. */
export interface OpenChallenge {
  region: ResolvedRegion
  username: string
  session: string
  parameters: Record<string, string>
  metadata: MethodMetadata
}

interface ChallengeAnswer {
  ChallengeName?: string
  Session?: string
  ChallengeParameters?: Record<string, string>
  AuthenticationResult?: AuthenticationResult
}

// Checks that Cognito asked for our custom challenge and moves `open` on to it.
// Cognito names the resolved username (not the email alias) in its parameters.
function nextChallenge(open: OpenChallenge, answer: ChallengeAnswer): OpenChallenge {
  const { ChallengeName, Session, ChallengeParameters: parameters = {} } = answer
  if (ChallengeName !== 'CUSTOM_CHALLENGE' || !Session) {
    throw new RegionlessError('UNKNOWN', 'Not a custom challenge', { region: open.region.region })
  }
  return { ...open, session: Session, parameters, username: parameters.USERNAME ?? open.username }
}

const respond = (ctx: ClientContext, open: OpenChallenge, answer: string) =>
  ctx.router.attempt(
    open.region.region,
    clientTask<ChallengeAnswer>(ctx.call, 'RespondToAuthChallenge', {
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: open.session,
      ChallengeResponses: { USERNAME: open.username, ANSWER: answer },
      ClientMetadata: open.metadata,
    }),
  )

/**
 * Opens a challenge: InitiateAuth (CUSTOM_AUTH), then the method answer that
 * makes the region send the code or link. Only InitiateAuth is hedged across
 * regions: it sends nothing, so asking two regions cannot send two emails. If
 * the chosen region fails at the method step, the whole thing restarts in the
 * next region.
 */
export async function openChallenge(
  ctx: ClientContext,
  username: string,
  metadata: MethodMetadata,
  {
    only = ctx.config.regions.map((r) => r.region),
    exclude = [],
    prefer,
    persistMs = 0,
  }: Pick<RunOptions, 'prefer' | 'persistMs'> & { only?: string[]; exclude?: string[] } = {},
): Promise<OpenChallenge> {
  const excluded = [...exclude]
  const persistUntil = ctx.config.now() + persistMs
  // Sign in by the username, never by an email alias: a pool answers a known and an unknown
  // username alike, but an alias would resolve for a known email only (docs/security.md).
  if (username.includes('@')) username = await usernameForEmail(username)
  let pause = 15
  for (;;) {
    const { region, value } = await ctx.router.run(
      clientTask<ChallengeAnswer>(ctx.call, 'InitiateAuth', {
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: username },
      }),
      {
        only: only.filter((name) => !excluded.includes(name)),
        hedge: true,
        prefer,
        persistMs: persistUntil - ctx.config.now(),
      },
    )
    const started = nextChallenge({ region, username, metadata, session: '', parameters: {} }, value)
    try {
      return nextChallenge(started, await respond(ctx, started, '__method'))
    } catch (err) {
      if (!isOutageError(err)) throw err
      // A region that answers 500 now and then is asked again, after growing pauses, while `persistMs` lasts.
      if (worthAnotherTry(err, ctx.config.now(), persistUntil, pause)) await sleep(pause)
      else excluded.push(region.region)
      pause = nextPause(pause)
    }
  }
}

/**
 * Answers an open challenge. Resolves with tokens, or with the next challenge
 * (a wrong code). Only `open`'s region can take the answer, so a 5xx is tried
 * again for `persistMs`; if a retry finds the session spent, the first
 * failure is what counts (the caller moves the sign-in elsewhere).
 */
export async function answerChallenge(
  ctx: ClientContext,
  open: OpenChallenge,
  answer: string,
  persistMs = 0,
): Promise<{ tokens: AuthenticationResult } | { next: OpenChallenge }> {
  let first: unknown
  const result = await persistently(ctx.config.now, persistMs, () =>
    respond(ctx, open, answer).catch((err) => {
      first ??= err
      throw first !== err && hasCode(err, 'SESSION_EXPIRED') ? first : err
    }),
  )
  return result.AuthenticationResult ? { tokens: result.AuthenticationResult } : { next: nextChallenge(open, result) }
}
