import { isTokenError } from './errors.js'
import { bearerToken, defaultRejectionLog, httpAnswer, logRejection, type RejectionLog } from './http-answer.js'
import type { VerifiedToken, Verifier } from './verifier.js'

/** The parts of an Express (4 or 5) request the middleware uses; `auth` is set on success. */
export interface ExpressLikeRequest {
  headers: Record<string, string | string[] | undefined>
  auth?: VerifiedToken
}

/** The parts of an Express response the middleware uses. */
export interface ExpressLikeResponse {
  status(code: number): unknown
  setHeader(name: string, value: string): unknown
  json(body: unknown): unknown
}

export interface ExpressAuthOptions {
  /** Where rejections are reported (code and message, never the token). Default: `console.warn`. */
  log?: RejectionLog
}

/**
 * Express middleware: verifies the Bearer token, sets `req.auth` and calls `next()`; otherwise answers
 * 401 (bad token, with `WWW-Authenticate`), 403 (missing group/scope) or 503 (keys unavailable).
 *
 * @example
 * app.use(expressAuth(verifier))
 * app.get('/me', (req, res) => res.json({ userId: req.auth.userId }))
 */
export function expressAuth(verifier: Verifier, options: ExpressAuthOptions = {}) {
  const log = options.log ?? defaultRejectionLog
  return async (req: ExpressLikeRequest, res: ExpressLikeResponse, next: (error?: unknown) => void): Promise<void> => {
    try {
      const header = req.headers.authorization
      req.auth = await verifier.verify(bearerToken(Array.isArray(header) ? undefined : header))
    } catch (error) {
      if (!isTokenError(error)) return next(error)
      const answer = httpAnswer(error)
      logRejection(log, error, answer.status)
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value)
      res.status(answer.status)
      res.json(answer.body)
      return
    }
    next()
  }
}
