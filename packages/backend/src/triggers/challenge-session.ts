import { isCodeMetadata } from '../email/email-code.js'

/** The steps of a Regionless sign-in, in the order a client meets them. */
export type ChallengeStep = 'method' | 'code' | 'link' | 'bridge' | 'passkey'

/** The sign-in methods a client may pick in its first answer. */
export type ChallengeMethod = Exclude<ChallengeStep, 'method'>

export const METHOD_METADATA = 'METHOD'
export const LINK_METADATA = 'LINK'
export const BRIDGE_METADATA = 'BRIDGE'
export const PASSKEY_METADATA = 'PASSKEY'

/** One answered round of the session array, reduced to what the decisions need. */
export interface SessionRound {
  step: ChallengeStep
  correct: boolean
  metadata: string
}

export type SessionSummary = { ok: true; rounds: SessionRound[] } | { ok: false; reason: string }

export function isChallengeMethod(value: unknown): value is ChallengeMethod {
  return value === 'code' || value === 'link' || value === 'bridge' || value === 'passkey'
}

/** Which step a `challengeMetadata` value belongs to, or undefined for anything we did not write. */
export function stepOfMetadata(metadata: unknown): ChallengeStep | undefined {
  if (metadata === METHOD_METADATA) return 'method'
  if (metadata === LINK_METADATA) return 'link'
  if (metadata === BRIDGE_METADATA) return 'bridge'
  if (metadata === PASSKEY_METADATA) return 'passkey'
  if (typeof metadata === 'string' && isCodeMetadata(metadata)) return 'code'
  return undefined
}

/**
 * Checks that a Cognito session array is one Regionless would have produced:
 * only CUSTOM_CHALLENGE rounds with our metadata, the method step first and
 * only first, and one method after it. Anything else (SRP rounds, a session
 * that did not start with us, a method switch mid-flow, a "correct" method
 * answer) is refused so that a malformed event can never reach issueTokens.
 */
export function summariseSession(session: unknown, maxRounds: number): SessionSummary {
  if (!Array.isArray(session)) return { ok: false, reason: 'session is not an array' }
  if (session.length > maxRounds) return { ok: false, reason: 'session has more rounds than the flow allows' }
  const rounds: SessionRound[] = []
  for (const [index, entry] of session.entries()) {
    if (typeof entry !== 'object' || entry === null) return { ok: false, reason: `session[${index}] is not an object` }
    const { challengeName, challengeResult, challengeMetadata } = entry as Record<string, unknown>
    if (challengeName !== 'CUSTOM_CHALLENGE')
      return { ok: false, reason: `session[${index}] is not a custom challenge` }
    if (typeof challengeResult !== 'boolean') return { ok: false, reason: `session[${index}] has no boolean result` }
    const step = stepOfMetadata(challengeMetadata)
    if (step === undefined) return { ok: false, reason: `session[${index}] has unknown metadata` }
    if ((index === 0) !== (step === 'method')) return { ok: false, reason: `session[${index}] is out of order` }
    if (step === 'method' && challengeResult)
      return { ok: false, reason: 'the method step cannot be answered correctly' }
    const first = rounds[1]
    if (first !== undefined && first.step !== step) return { ok: false, reason: 'the method changed mid-flow' }
    if (first !== undefined && step === 'code' && first.metadata !== challengeMetadata) {
      return { ok: false, reason: 'the code changed mid-flow' }
    }
    const previous = rounds[index - 1]
    if (previous?.correct) return { ok: false, reason: 'a round follows a correct answer' }
    rounds.push({ step, correct: challengeResult, metadata: challengeMetadata as string })
  }
  return { ok: true, rounds }
}

/** Number of wrong answers given to the code step so far. */
export function wrongCodeAnswers(rounds: readonly SessionRound[]): number {
  return rounds.filter((round) => round.step === 'code' && !round.correct).length
}
