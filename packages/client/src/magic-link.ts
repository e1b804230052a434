import { answerChallenge, openChallenge } from './challenge.js'
import type { ClientContext } from './context.js'
import { hasCode, isOutageError, RegionlessError } from './errors.js'
import { claimString, decodeJwtPayload } from './jwt.js'
import type { AuthenticationResult } from './session-record.js'

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
  if (history && typeof history.replaceState === 'function')
    history.replaceState(history.state, '', withoutLinkToken(href))
}

/**
 * Redeems a magic link in whichever region answers: a fresh CUSTOM_AUTH for
 * the user named in the token (`sub`, read but not trusted: the backend
 * verifies the signature), the method step with `redeem: 'true'` so no new
 * link is sent, then the token as the answer. A link sent by one region works
 * in every region.
 */
export async function redeemLink(
  ctx: ClientContext,
  url: string | undefined,
): Promise<{ region: string; username: string; result: AuthenticationResult } | null> {
  const location = (globalThis as { location?: Location }).location
  const href = url ?? location?.href
  if (typeof href !== 'string') throw new TypeError('completeMagicLink(url) needs a url outside a browser')
  const token = readLinkToken(href)
  if (!token) return null
  if (location && (url === undefined || url === location.href)) cleanLocation(href)
  const username = claimString(decodeJwtPayload(token), 'sub')
  if (!username) throw new RegionlessError('LINK_INVALID', 'The link is damaged; request a new one')
  const tried = new Set<string>()
  for (;;) {
    const open = await openChallenge(ctx, username, { method: 'link', redeem: 'true' }, { exclude: [...tried] })
    try {
      const outcome = await answerChallenge(ctx, open, token)
      if ('tokens' in outcome) return { region: open.region.region, username: open.username, result: outcome.tokens }
      throw new RegionlessError('LINK_INVALID', 'The link was not accepted', { region: open.region.region })
    } catch (err) {
      if (isOutageError(err)) {
        tried.add(open.region.region)
        continue
      }
      // Used, expired and forged links all fail the same way in Cognito.
      if (hasCode(err, 'NOT_AUTHORIZED', 'SESSION_EXPIRED')) {
        throw new RegionlessError('LINK_INVALID', 'The link is used, expired or invalid; request a new one', {
          cause: err,
          region: open.region.region,
        })
      }
      throw err
    }
  }
}
