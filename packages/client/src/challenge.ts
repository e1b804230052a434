import type { ResolvedRegion } from './config.js'
import type { ClientContext } from './context.js'
import { isOutageError, RegionlessError } from './errors.js'
import type { AuthenticationResult } from './session-record.js'

/** Metadata of the "method" answer; see the shared protocol contract. */
export interface MethodMetadata {
  method: 'code' | 'link' | 'bridge'
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

const METHOD_ANSWER = '__method'

function expectChallenge(
  answer: ChallengeAnswer,
  region: string,
): Required<Pick<ChallengeAnswer, 'Session'>> & ChallengeAnswer {
  if (answer.ChallengeName !== 'CUSTOM_CHALLENGE' || !answer.Session) {
    throw new RegionlessError('UNKNOWN', `Unexpected answer from ${region}: no custom challenge`, { region })
  }
  return answer as Required<Pick<ChallengeAnswer, 'Session'>> & ChallengeAnswer
}

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
  options: { only?: readonly string[]; exclude?: readonly string[] } = {},
): Promise<OpenChallenge> {
  const excluded = new Set(options.exclude)
  const allowed = options.only ?? ctx.config.regions.map((r) => r.region)
  for (;;) {
    const only = allowed.filter((name) => !excluded.has(name))
    const started = await ctx.router.run(
      (region, signal) =>
        ctx.call<ChallengeAnswer>(
          region,
          'InitiateAuth',
          { AuthFlow: 'CUSTOM_AUTH', ClientId: region.clientId, AuthParameters: { USERNAME: username } },
          { signal },
        ),
      { only, hedge: true },
    )
    const region = started.region
    const first = expectChallenge(started.value, region.region)
    // Cognito names the resolved username (not the email alias) in its challenge parameters.
    const resolved = first.ChallengeParameters?.USERNAME ?? username
    try {
      const answer = await ctx.router.attempt(region.region, (r, signal) =>
        ctx.call<ChallengeAnswer>(
          r,
          'RespondToAuthChallenge',
          {
            ClientId: r.clientId,
            ChallengeName: 'CUSTOM_CHALLENGE',
            Session: first.Session,
            ChallengeResponses: { USERNAME: resolved, ANSWER: METHOD_ANSWER },
            ClientMetadata: metadata,
          },
          { signal },
        ),
      )
      const real = expectChallenge(answer, region.region)
      return {
        region,
        username: real.ChallengeParameters?.USERNAME ?? resolved,
        session: real.Session,
        parameters: real.ChallengeParameters ?? {},
        metadata,
      }
    } catch (err) {
      if (!isOutageError(err)) throw err
      excluded.add(region.region)
    }
  }
}

/** Answers an open challenge. Resolves with tokens, or with the next challenge (a wrong code). */
export async function answerChallenge(
  ctx: ClientContext,
  open: OpenChallenge,
  answer: string,
): Promise<{ tokens: AuthenticationResult } | { next: OpenChallenge }> {
  const result = await ctx.router.attempt(open.region.region, (r, signal) =>
    ctx.call<ChallengeAnswer>(
      r,
      'RespondToAuthChallenge',
      {
        ClientId: r.clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: open.session,
        ChallengeResponses: { USERNAME: open.username, ANSWER: answer },
        ClientMetadata: open.metadata,
      },
      { signal },
    ),
  )
  if (result.AuthenticationResult) return { tokens: result.AuthenticationResult }
  const next = expectChallenge(result, open.region.region)
  return { next: { ...open, session: next.Session, parameters: next.ChallengeParameters ?? {} } }
}
