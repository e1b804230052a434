import { answerChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
import { claim, decodeJwtPayload } from './jwt.js'
import { recordFrom, type SessionRecord } from './session-record.js'

const PARAM = 'regionless-link'

/** The link token in a URL's fragment (`#regionless-link=<token>`), or null. */
export function readLinkToken(url: string): string | null {
  const hash = url.indexOf('#')
  if (hash < 0) return null
  return new URLSearchParams(url.slice(hash + 1)).get(PARAM)
}

/** The URL without the link parameter, keeping any other fragment content. */
export function withoutLinkToken(url: string): string {
  const hash = url.indexOf('#')
  if (hash < 0) return url
  const params = new URLSearchParams(url.slice(hash + 1))
  params.delete(PARAM)
  const rest = params.toString()
  return url.slice(0, hash) + (rest ? `#${rest}` : '')
}

// Removes the secret from the address bar and history, so a reload or a
// shared screenshot does not leak it (it is single use anyway).
function cleanLocation(href: string): void {
  const { history } = globalThis as { history?: History }
  history?.replaceState?.(history.state, '', withoutLinkToken(href))
}

/**
 * Redeems a magic link in whichever region answers: a fresh CUSTOM_AUTH for
 * the user named in the token (`sub`, read but not trusted: the backend
 * verifies the signature), the method step with `redeem: 'true'` so no new
 * link is sent, then the token as the answer. A link sent by one region works
 * in every region. Resolves with the new session record, or null when the URL
 * holds no link.
 */
export async function redeemLink(ctx: ClientContext, url: string | undefined): Promise<SessionRecord | null> {
  const location = (globalThis as { location?: Location }).location
  const href = url ?? location?.href
  if (typeof href !== 'string') throw new TypeError('url is required outside a browser')
  const token = readLinkToken(href)
  if (!token) return null
  if (location && (url === undefined || url === location.href)) cleanLocation(href)
  // Used, expired and forged links all fail the same way in Cognito.
  const invalid = (cause?: unknown, region?: string) =>
    new RegionlessError('LINK_INVALID', 'Link used, expired or invalid', { cause, region })
  const username = claim<string>(decodeJwtPayload(token), 'sub', 'string')
  if (!username) throw invalid()
  const tried: string[] = []
  for (;;) {
    const open = await openChallenge(ctx, username, { method: 'link', redeem: 'true' }, { exclude: tried })
    const region = open.region.region
    try {
      const outcome = await answerChallenge(ctx, open, token)
      if ('next' in outcome) throw invalid(undefined, region)
      return recordFrom(outcome.tokens, region, open.username, '', ctx.config.now())
    } catch (err) {
      if (!isOutageError(err)) throw hasCode(err, 'NOT_AUTHORIZED', 'SESSION_EXPIRED') ? invalid(err, region) : err
      tried.push(region)
    }
  }
}
