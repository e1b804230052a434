// Lambda entry for the four auth triggers (bundle this file; one function per
// trigger, pointing its handler at the matching export). The configuration is
// read and validated here, at cold start: a missing or bad variable fails the
// first invocation with a ConfigError that names it. Not part of the package's
// import surface, because importing it reads process.env.
import { createAuthTriggersFromEnv } from '../triggers/from-env.js'

const triggers = createAuthTriggersFromEnv(process.env)

export const defineAuthChallenge = triggers.defineAuthChallenge
export const createAuthChallenge = triggers.createAuthChallenge
export const verifyAuthChallengeResponse = triggers.verifyAuthChallengeResponse
export const preSignUp = triggers.preSignUp
