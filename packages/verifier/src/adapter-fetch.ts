import type { TokenError } from './errors.js'
import { httpAnswer } from './http-answer.js'
import type { VerifiedToken, Verifier } from './verifier.js'

/**
 * Verifies the Bearer token of a fetch-style `Request` (Hono, Next.js route handlers, Workers, Deno…); the
 * same as `verifier.verifyRequest(request)`.
 * Rejects with a TokenError (`TOKEN_MISSING` when there is no Bearer token).
 *
 * @example
 * export async function GET(request: Request) {
 *   try {
 *     const auth = await verifyRequest(verifier, request)
 *     return Response.json({ userId: auth.userId })
 *   } catch (error) {
 *     if (isTokenError(error)) return unauthorizedResponse(error)
 *     throw error
 *   }
 * }
 */
export async function verifyRequest(
  verifier: Verifier,
  request: { headers: { get(name: string): string | null } },
): Promise<VerifiedToken> {
  return verifier.verifyRequest(request)
}

/** The `Response` for a rejected token: 401 with `WWW-Authenticate`, 403 or 503 (see `httpAnswer`). */
export function unauthorizedResponse(error: TokenError): Response {
  const answer = httpAnswer(error)
  return Response.json(answer.body, { status: answer.status, headers: answer.headers })
}
