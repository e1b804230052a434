import { summariseSession } from './challenge-session.js'

/** What DefineAuthChallenge tells Cognito to do next. */
export type DefineDecision = { action: 'challenge' } | { action: 'issueTokens' } | { action: 'fail'; reason: string }

export interface DefineInput {
  session: unknown
  userNotFound: boolean
  maxCodeAttempts: number
}

/**
 * The whole sign-in state machine, as a pure function of Cognito's session
 * array. Round 0 is the method step; later rounds are all the same method.
 *
 * - no rounds yet → challenge (the method step)
 * - only the method step → challenge (the real challenge)
 * - last answer correct → issue tokens, never for an unknown user
 * - wrong code and attempts left → challenge again (same code)
 * - anything else (wrong link or bridge answer, attempts used up, a session
 *   we did not shape) → fail
 *
 * @example
 * decideNext({ session: [], userNotFound: false, maxCodeAttempts: 3 }) // { action: 'challenge' }
 */
export function decideNext(input: DefineInput): DefineDecision {
  const summary = summariseSession(input.session, 1 + input.maxCodeAttempts)
  if (!summary.ok) return { action: 'fail', reason: summary.reason }
  const { rounds } = summary
  const last = rounds.at(-1)
  if (last === undefined || last.step === 'method') return { action: 'challenge' }
  if (last.correct) {
    // Verify never says correct for an unknown user; this is the second lock on the same door.
    return input.userNotFound ? { action: 'fail', reason: 'unknown user' } : { action: 'issueTokens' }
  }
  if (last.step !== 'code') return { action: 'fail', reason: `wrong ${last.step} answer` }
  const wrong = rounds.filter((round) => round.step === 'code' && !round.correct).length
  return wrong < input.maxCodeAttempts ? { action: 'challenge' } : { action: 'fail', reason: 'no code attempts left' }
}
