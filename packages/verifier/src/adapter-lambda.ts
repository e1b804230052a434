import { isPermissionError, isTokenError, type TokenError } from './errors.js'
import { bearerToken, defaultRejectionLog, httpAnswer, logRejection, type RejectionLog } from './http-answer.js'
import type { VerifiedToken, Verifier } from './verifier.js'

/** Shapes of `@types/aws-lambda` (structural, so consumers need not install those types). */
export interface RestTokenAuthorizerEvent {
  type: 'TOKEN'
  methodArn: string
  authorizationToken: string
}

export interface RestRequestAuthorizerEvent {
  type: 'REQUEST'
  methodArn: string
  headers: Record<string, string | undefined> | null
}

export interface HttpApiAuthorizerEvent {
  type: 'REQUEST'
  routeArn: string
  headers?: Record<string, string | undefined>
}

/** Values API Gateway passes to the integration as `requestContext.authorizer` (strings only: REST requires it). */
export interface AuthorizerContext {
  [key: string]: string
  userId: string
  username: string
  email: string
  tokenUse: string
  userPoolId: string
  region: string
  issuer: string
  groups: string
  scope: string
}

export interface RestAuthorizerResult {
  principalId: string
  policyDocument: {
    Version: '2012-10-17'
    Statement: Array<{ Action: 'execute-api:Invoke'; Effect: 'Allow' | 'Deny'; Resource: string }>
  }
  context?: AuthorizerContext
}

export interface HttpApiSimpleResult {
  isAuthorized: boolean
  context?: AuthorizerContext
}

export interface AuthorizerOptions {
  /** Where rejections are reported (code and message, never the token). Default: `console.warn`. */
  log?: RejectionLog
  /**
   * `'stage'` (default) allows every method of the stage, so a cached authorizer answer serves the
   * token's other calls too; `'method'` allows only the method that was called.
   */
  policyResource?: 'stage' | 'method'
}

function contextOf(auth: VerifiedToken): AuthorizerContext {
  const groups = auth.claims['cognito:groups']
  return {
    userId: auth.userId,
    username: auth.username,
    email: auth.email ?? '',
    tokenUse: auth.tokenUse,
    userPoolId: auth.userPoolId,
    region: auth.region,
    issuer: auth.issuer,
    groups: Array.isArray(groups) ? groups.join(',') : '',
    scope: typeof auth.claims.scope === 'string' ? auth.claims.scope : '',
  }
}

/** `arn:…:api/stage/GET/pets` → `arn:…:api/stage/*` `/*` (all methods and paths of the stage). */
function stageResource(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/')
  return apiArn && stage ? `${apiArn}/${stage}/*/*` : methodArn
}

function headerOf(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined
  for (const key in headers) if (key.toLowerCase() === name) return headers[key]
  return undefined
}

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string): RestAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
  }
}

function restAuthorizer(verifier: Verifier, options: AuthorizerOptions, tokenOf: (event: never) => string) {
  const log = options.log ?? defaultRejectionLog
  return async (event: { methodArn: string }): Promise<RestAuthorizerResult> => {
    const resource = options.policyResource === 'method' ? event.methodArn : stageResource(event.methodArn)
    try {
      const auth = await verifier.verify(tokenOf(event as never))
      return { ...policy(auth.userId, 'Allow', resource), context: contextOf(auth) }
    } catch (error) {
      if (!isTokenError(error)) throw error
      const answer = httpAnswer(error)
      logRejection(log, error, answer.status)
      // API Gateway turns a Deny policy into 403, the exact error 'Unauthorized' into 401, anything else into 500.
      if (isPermissionError(error)) return policy('forbidden', 'Deny', event.methodArn)
      if (answer.status === 503) throw new Error(`Signing keys unavailable (${error.code})`)
      throw new Error('Unauthorized')
    }
  }
}

/**
 * Lambda authorizer for a REST API with a TOKEN authorizer (identity source: the Authorization header).
 * Valid → Allow policy with the user in `context`; bad token → 401; missing group/scope → 403.
 *
 * @example
 * export const handler = createRestTokenAuthorizer(createVerifier({ pools, tokenUse: 'access' }))
 */
export function createRestTokenAuthorizer(verifier: Verifier, options: AuthorizerOptions = {}) {
  return restAuthorizer(verifier, options, (event: RestTokenAuthorizerEvent) =>
    bearerToken(event.authorizationToken, true),
  ) as (event: RestTokenAuthorizerEvent) => Promise<RestAuthorizerResult>
}

/**
 * Lambda authorizer for a REST API with a REQUEST authorizer: reads the Authorization header of the request.
 *
 * @example
 * export const handler = createRestRequestAuthorizer(verifier, { policyResource: 'method' })
 */
export function createRestRequestAuthorizer(verifier: Verifier, options: AuthorizerOptions = {}) {
  return restAuthorizer(verifier, options, (event: RestRequestAuthorizerEvent) =>
    bearerToken(headerOf(event.headers, 'authorization')),
  ) as (event: RestRequestAuthorizerEvent) => Promise<RestAuthorizerResult>
}

/**
 * Lambda authorizer for an HTTP API (payload format 2.0, simple responses): `{ isAuthorized, context }`.
 * API Gateway answers 403 for `isAuthorized: false`; a key outage throws, which API Gateway answers with 500.
 *
 * @example
 * export const handler = createHttpApiAuthorizer(verifier)
 */
export function createHttpApiAuthorizer(verifier: Verifier, options: AuthorizerOptions = {}) {
  const log = options.log ?? defaultRejectionLog
  return async (event: HttpApiAuthorizerEvent): Promise<HttpApiSimpleResult> => {
    try {
      const auth = await verifier.verify(bearerToken(headerOf(event.headers, 'authorization')))
      return { isAuthorized: true, context: contextOf(auth) }
    } catch (error) {
      if (!isTokenError(error)) throw error
      const answer = httpAnswer(error as TokenError)
      logRejection(log, error, answer.status)
      if (answer.status === 503) throw new Error(`Signing keys unavailable (${error.code})`)
      return { isAuthorized: false }
    }
  }
}
