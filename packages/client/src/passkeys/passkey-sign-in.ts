import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser'
import type { OpenChallenge } from '../challenge.js'
import type { RegionlessError } from '../errors.js'
import type { PasskeyAutofillOptions, PasskeyHost, PasskeySignInOptions } from '../passkey-plugin.js'
import type { Session } from '../state.js'
import type { createPasskeyApi } from './passkey-api.js'
import {
  type AuthenticationResponseJSON,
  browserSupportsPasskeyAutofill,
  getAssertion,
  usernameOf,
} from './webauthn.js'

/**
 * Passkey sign-in, username-first and through autofill. Both end in the
 * CUSTOM_AUTH challenge every method uses (`method: 'passkey'`), so failover,
 * the session bridge and the signed-in event work as for a code.
 */
export function createPasskeySignIn(host: PasskeyHost, api: ReturnType<typeof createPasskeyApi>) {
  const { ctx, RegionlessError: Err } = host
  const { store } = ctx
  const isOurs = (err: unknown): err is RegionlessError => (err as Error | null)?.name === 'RegionlessError'

  // Errors of a sign-in the person started are shown in the state, like a wrong code.
  const fail = (err: unknown): never => {
    const error = isOurs(err) ? err : new Err('UNKNOWN', String((err as Error)?.message ?? err), { cause: err })
    store.dispatch({ type: 'failed', error })
    throw error
  }

  // Answers with the assertion. The challenge allows one attempt: a refusal is the passkey's, not a typo.
  async function finish(open: OpenChallenge, assertion: AuthenticationResponseJSON, email: string): Promise<Session> {
    const region = open.region.region
    const refused = (cause?: unknown) => new Err('PASSKEY_REJECTED', 'The passkey was not accepted', { cause, region })
    const outcome = await host.answerChallenge(ctx, open, JSON.stringify(assertion)).catch((err) => {
      throw isOurs(err) && err.code === 'NOT_AUTHORIZED' ? refused(err) : err
    })
    if ('next' in outcome) throw refused()
    return host.signedIn(host.recordFrom(outcome.tokens, region, open.username, email, ctx.config.now()))
  }

  // Opens a passkey challenge in the best region not yet tried and runs `step` on it;
  // an outage moves on to the next region (openChallenge ends with ALL_REGIONS_DOWN).
  async function acrossRegions(username: string, step: (open: OpenChallenge) => Promise<Session>) {
    const tried: string[] = []
    for (;;) {
      const open = await host.openChallenge(ctx, username, { method: 'passkey' }, { exclude: tried })
      try {
        return await step(open)
      } catch (err) {
        if (!host.isOutageError(err)) throw err
        tried.push(open.region.region)
      }
    }
  }

  // The one conditional request the browser allows: a new one replaces it.
  let waiting: AbortController | null = null

  return {
    /**
     * Username-first: the challenge names the account, the browser asks for one
     * of its passkeys. A region lost after the assertion means asking again in
     * the next one: that assertion answers the first region's challenge only.
     */
    async signIn({ email }: PasskeySignInOptions): Promise<Session> {
      if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim()))
        throw new TypeError('email must be an email address')
      host.resetFlows()
      try {
        return await acrossRegions(email.trim(), async (open) => {
          store.dispatch({ type: 'busy', status: 'waiting-for-passkey' })
          const assertion = await getAssertion(host, parseOptions(open))
          store.dispatch({ type: 'busy', status: 'verifying' })
          return finish(open, assertion, email.trim().toLowerCase())
        })
      } catch (err) {
        return fail(err)
      }
    },

    /**
     * Usernameless: a challenge from the passkeys API, the browser's autofill,
     * and the account named by the passkey's user handle. The assertion is not
     * spent until it verifies, so after an outage the next region takes the same one.
     */
    async autofill({ signal }: PasskeyAutofillOptions = {}): Promise<Session> {
      waiting?.abort()
      const controller = new AbortController()
      waiting = controller
      const stop = () => controller.abort()
      if (signal?.aborted) stop()
      signal?.addEventListener('abort', stop, { once: true })
      try {
        // Checked first: a browser without autofill must not cost a challenge from the API.
        if (!(await browserSupportsPasskeyAutofill()))
          throw new Err('PASSKEY_UNSUPPORTED', 'This browser offers no passkeys in autofill')
        const options = await api.challenge(controller.signal)
        const assertion = await getAssertion(host, options, { autofill: true, signal: controller.signal })
        // From here the person has chosen a passkey: progress and errors are theirs to see.
        host.resetFlows()
        store.dispatch({ type: 'busy', status: 'verifying' })
        try {
          const username = usernameOf(assertion)
          if (!username) throw new Err('PASSKEY_REJECTED', 'The passkey names no user')
          return await acrossRegions(username, (open) => finish(open, assertion, ''))
        } catch (err) {
          return fail(err)
        }
      } finally {
        signal?.removeEventListener('abort', stop)
        if (waiting === controller) waiting = null
      }
    },
  }
}

// The request options CreateAuthChallenge put in the public parameters.
function parseOptions(open: OpenChallenge): PublicKeyCredentialRequestOptionsJSON {
  try {
    const options = JSON.parse(`${open.parameters.options}`)
    if (typeof options?.challenge === 'string') return options
  } catch {}
  throw new TypeError(`passkeys: the challenge from ${open.region.region} holds no WebAuthn options`)
}
