// Lambda entry for the four auth triggers (bundle this file; one function per
// trigger, pointing its handler at the matching export). The configuration is
// read and validated here, at cold start: a missing or bad variable fails the
// first invocation with a ConfigError that names it. Not part of the package's
// import surface, because importing it reads process.env.
import type { AuthTriggers } from '../triggers/auth-triggers.js'
import { loadAuthTriggersFromEnv } from '../triggers/from-env.js'

// Started at cold start (the code pepper may come from Secrets Manager; the bundle is CommonJS, so no
// top-level await): every invocation waits for the same promise, and the secret is read once.
const ready = loadAuthTriggersFromEnv(process.env)
// A failure is reported by each invocation's await, not as an unhandled rejection that kills the runtime.
ready.catch(() => {})

function handler<K extends keyof AuthTriggers>(name: K): AuthTriggers[K] {
  return (async (event: Parameters<AuthTriggers[K]>[0]) => (await ready)[name](event as never)) as AuthTriggers[K]
}

export const defineAuthChallenge = handler('defineAuthChallenge')
export const createAuthChallenge = handler('createAuthChallenge')
export const verifyAuthChallengeResponse = handler('verifyAuthChallengeResponse')
export const preSignUp = handler('preSignUp')
