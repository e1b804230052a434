import type { APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import type { PasskeyHttpHandler, PasskeyHttpRequest } from './passkey-http.js'

/** An HTTP API (payload 2.0) request; behind the verifier's Lambda authorizer, except `POST /passkeys/challenge`. */
export type PasskeyApiEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, string | undefined>>

/** One line per failure the API could not answer: the error's name only, never a body, key or token. */
export type PasskeyApiLog = (entry: { level: 'error'; event: 'passkeys.failed'; route: string; error: string }) => void

const consoleLog: PasskeyApiLog = (entry) => console.error(JSON.stringify({ regionless: entry }))

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' }

/**
 * The path from `/passkeys` on. `rawPath` carries the stage of a named stage (`/prod/passkeys`) and the
 * base path of a custom domain's API mapping (`/auth/passkeys`); the routes know neither.
 */
export function passkeyPath(event: Pick<PasskeyApiEvent, 'rawPath' | 'requestContext'>): string {
  let path = event.rawPath ?? '/'
  const stage = event.requestContext?.stage
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) path = path.slice(stage.length + 1)
  const at = path.search(/\/passkeys(\/|$)/)
  return at > 0 ? path.slice(at) : path
}

/**
 * The username of the caller, from the authorizer's context: the verifier put it there from a verified
 * token, so it is never read from the request. Only an access token counts: a passkey is a new way to
 * sign in, and ID tokens travel to more places (front ends, third parties) than access tokens do.
 */
export function callerOf(event: PasskeyApiEvent): string | undefined {
  const context = event.requestContext?.authorizer?.lambda
  if (!context?.username || context.tokenUse !== 'access') return undefined
  return context.username
}

function decodedBody(event: PasskeyApiEvent): string | undefined {
  if (event.body === undefined || event.body === null) return undefined
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body
}

function errorName(err: unknown): string {
  const name = (err as { name?: unknown })?.name
  return typeof name === 'string' ? name.slice(0, 100) : typeof err
}

/**
 * The passkey routes as an API Gateway HTTP API (payload 2.0) Lambda handler over
 * {@link createPasskeyHttpHandler}. A failure other than a refusal (the table unreachable) answers 503
 * `try_again`, so the client fails over to another region's API.
 *
 * @example
 * export const handler = createPasskeyApiHandler(createPasskeyHttpHandler(createPasskeyServiceFromEnv(process.env)))
 */
export function createPasskeyApiHandler(handle: PasskeyHttpHandler, log: PasskeyApiLog = consoleLog) {
  return async (event: PasskeyApiEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const request: PasskeyHttpRequest = {
      method: event.requestContext?.http?.method ?? 'GET',
      path: passkeyPath(event),
      body: decodedBody(event),
      username: callerOf(event),
    }
    try {
      const { status, body } = await handle(request)
      return { statusCode: status, headers: HEADERS, ...(body !== undefined && { body: JSON.stringify(body) }) }
    } catch (err) {
      // The route's template, not the path: a credential id is not the log's business.
      const route = `${request.method} ${request.path.replace(/^\/passkeys\/(?!challenge$|registration-options$)[^/]+$/, '/passkeys/{id}')}`
      log({ level: 'error', event: 'passkeys.failed', route, error: errorName(err) })
      return {
        statusCode: 503,
        headers: { ...HEADERS, 'retry-after': '1' },
        body: JSON.stringify({ error: 'try_again', message: 'The passkey service is unavailable here: try again' }),
      }
    }
  }
}
