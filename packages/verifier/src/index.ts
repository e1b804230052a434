export type { VerifierErrorCode } from './errors.js'
export { TokenError } from './errors.js'
export type { ParsedJwt } from './parse-jwt.js'
export { DEFAULT_MAX_TOKEN_BYTES, parseJwt } from './parse-jwt.js'
