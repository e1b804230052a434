// The outcomes the backend's Cognito simulator (helpers/cognito-simulator.ts) is held to.
// The simulator models Cognito's CUSTOM_AUTH loop around the three challenge triggers:
// each scenario plays InitiateAuth and answers against a target (the simulator, or the
// emulator running the same triggers) and names the outcome of the last step. The
// simulator finds users by username or email, as a pool with the email alias does, so
// the emulator it is compared with has `aliasAttributes: ['email']`.
import { expect } from 'vitest'

/** What one step of the loop came to: a new challenge, tokens, or Cognito's error. */
export type LoopOutcome =
  | { kind: 'challenge'; parameters: Record<string, string> }
  | { kind: 'tokens' }
  | { kind: 'error'; type: string; message: string }

export interface LoopStep {
  outcome: LoopOutcome
  /** What `respond` needs to answer this step (a session), opaque to the scenarios. */
  handle?: unknown
}

export interface LoopTarget {
  /** A signed-up user with this address; answers its username. */
  addUser(email: string): Promise<string>
  initiateAuth(login: string): Promise<LoopStep>
  respond(step: LoopStep, answer: string, clientMetadata?: Record<string, string>): Promise<LoopStep>
  lastCode(email: string): string | undefined
}

export interface LoopScenario {
  name: string
  run(target: LoopTarget): Promise<LoopStep>
  expect: LoopOutcome
}

let counter = 0
const freshEmail = () => `loop-${process.pid}-${++counter}@example.com`
/** A username no user has (a fresh one each time: sends are rate limited per name). */
const unknownUser = () => `no-such-user-${++counter}`
const code = { method: 'code' }
const wrong = (value: string | undefined) => (value === '000000' ? '111111' : '000000')

async function codeStep(t: LoopTarget, login: string) {
  return t.respond(await t.initiateAuth(login), '__method', code)
}

const challenge = (parameters: Record<string, string>): LoopOutcome => ({
  kind: 'challenge',
  parameters: { USERNAME: expect.any(String), ...parameters },
})
const incorrect: LoopOutcome = {
  kind: 'error',
  type: 'NotAuthorizedException',
  message: 'Incorrect username or password.',
}

export const LOOP_SCENARIOS: LoopScenario[] = [
  {
    name: 'a known user is asked for the method',
    run: async (t) => t.initiateAuth(await t.addUser(freshEmail())),
    expect: challenge({ step: 'method' }),
  },
  {
    name: 'an unknown user is asked the same',
    run: (t) => t.initiateAuth(unknownUser()),
    expect: challenge({ step: 'method' }),
  },
  {
    name: 'the method "code" asks for the code, three attempts left',
    run: async (t) => codeStep(t, await t.addUser(freshEmail())),
    expect: challenge({ step: 'code', attemptsLeft: '3' }),
  },
  {
    name: 'an unknown user is asked for a code the same way',
    run: (t) => codeStep(t, unknownUser()),
    expect: challenge({ step: 'code', attemptsLeft: '3' }),
  },
  {
    name: 'the right code issues tokens',
    run: async (t) => {
      const email = freshEmail()
      const step = await codeStep(t, await t.addUser(email))
      return t.respond(step, t.lastCode(email) ?? '', code)
    },
    expect: { kind: 'tokens' },
  },
  {
    name: 'the email address signs in as its user (email alias)',
    run: async (t) => {
      const email = freshEmail()
      await t.addUser(email)
      return t.respond(await codeStep(t, email), t.lastCode(email) ?? '', code)
    },
    expect: { kind: 'tokens' },
  },
  {
    name: 'a wrong code asks again with one attempt less',
    run: async (t) => {
      const email = freshEmail()
      const step = await codeStep(t, await t.addUser(email))
      return t.respond(step, wrong(t.lastCode(email)), code)
    },
    expect: challenge({ step: 'code', attemptsLeft: '2' }),
  },
  {
    name: 'the third wrong code fails the sign-in',
    run: async (t) => {
      const email = freshEmail()
      let step = await codeStep(t, await t.addUser(email))
      const answer = wrong(t.lastCode(email))
      for (let i = 0; i < 2; i++) step = await t.respond(step, answer, code)
      return t.respond(step, answer, code)
    },
    expect: incorrect,
  },
  {
    name: 'an unknown user never gets tokens: the third code fails',
    run: async (t) => {
      let step = await codeStep(t, unknownUser())
      for (let i = 0; i < 2; i++) step = await t.respond(step, '000000', code)
      return t.respond(step, '000000', code)
    },
    expect: incorrect,
  },
  {
    name: 'a session already answered is spent',
    run: async (t) => {
      const method = await t.initiateAuth(await t.addUser(freshEmail()))
      await t.respond(method, '__method', code)
      return t.respond(method, '__method', code)
    },
    expect: { kind: 'error', type: 'NotAuthorizedException', message: 'Invalid session for the user.' },
  },
  {
    name: 'a trigger that throws surfaces as UserLambdaValidationException "<Trigger> failed with error <CODE>: …"',
    run: async (t) => {
      const username = await t.addUser(freshEmail())
      await codeStep(t, username)
      return codeStep(t, username)
    },
    expect: {
      kind: 'error',
      type: 'UserLambdaValidationException',
      message: expect.stringMatching(/^CreateAuthChallenge failed with error RATE_LIMITED: .+\.$/),
    },
  },
  {
    name: 'a link for a redirect outside the allow-list is refused by Create auth challenge',
    run: async (t) => {
      const method = await t.initiateAuth(await t.addUser(freshEmail()))
      return t.respond(method, '__method', { method: 'link', redirectUri: 'https://evil.example/' })
    },
    expect: {
      kind: 'error',
      type: 'UserLambdaValidationException',
      message: expect.stringMatching(/^CreateAuthChallenge failed with error INVALID_REDIRECT: .+\.$/),
    },
  },
]
