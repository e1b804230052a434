export type { ExpressAuthOptions, ExpressLikeRequest, ExpressLikeResponse } from './adapter-express.js'
export { expressAuth } from './adapter-express.js'
export { unauthorizedResponse, verifyRequest } from './adapter-fetch.js'
export type {
  AuthorizerContext,
  AuthorizerOptions,
  HttpApiAuthorizerEvent,
  HttpApiSimpleResult,
  RestAuthorizerResult,
  RestRequestAuthorizerEvent,
  RestTokenAuthorizerEvent,
} from './adapter-lambda.js'
export { createHttpApiAuthorizer, createRestRequestAuthorizer, createRestTokenAuthorizer } from './adapter-lambda.js'
export type { PoolConfig, TokenUse, VerifierOptions } from './config.js'
export type { TokenErrorDetails, VerifierErrorCode } from './errors.js'
export { isTokenError, TokenError } from './errors.js'
export type { FetchLike } from './fetch-jwks.js'
export type { HttpAnswer, RejectionLog } from './http-answer.js'
export { bearerToken, httpAnswer } from './http-answer.js'
export type { Jwk, Jwks } from './jwks.js'
export type { ParsedJwt } from './parse-jwt.js'
export { DEFAULT_MAX_TOKEN_BYTES, parseJwt } from './parse-jwt.js'
export type { CreateSnapshotOptions, JwksSnapshot, SnapshotTarget } from './snapshot.js'
export { createJwksSnapshot, withSnapshot } from './snapshot.js'
export type { VerifiedToken, Verifier } from './verifier.js'
export { createVerifier } from './verifier.js'
