import type { PasskeyFeatures, PasskeyHost, PasskeyPlugin, PasskeySummary } from '../passkey-plugin.js'
import type { AuthEvents } from '../state.js'
import { createPasskeyApi } from './passkey-api.js'
import { createPasskeySignIn } from './passkey-sign-in.js'
import { browserSupportsPasskeys, createPasskey } from './webauthn.js'

/**
 * Passkeys for a Regionless client: sign-in (username-first and autofill) and
 * management of the signed-in user's passkeys through each region's API.
 * Only apps that pass it ship WebAuthn code.
 *
 * @example
 * import { createAuthClient } from '@regionless/client'
 * import { passkeys } from '@regionless/client/passkeys'
 * const client = createAuthClient({ ...config, passkeys: passkeys() })
 * await client.addPasskey()
 * await client.signIn({ email: 'ana@example.com', method: 'passkey' })
 */
export function passkeys(): PasskeyPlugin {
  return { attach }
}

function attach(host: PasskeyHost): PasskeyFeatures {
  const api = createPasskeyApi(host)
  const { store } = host.ctx
  const signIn = createPasskeySignIn(host, api)

  const name = (value: unknown) => {
    if (typeof value !== 'string' || !value.trim()) throw new TypeError('name must be a non-empty string')
    return value.trim()
  }
  // Every change is announced, so each view of the list (a prompt, a manager) stays current.
  const changed = (change: AuthEvents['passkeysChanged']) => host.ctx.events.emit('passkeysChanged', change)
  const id = (value: unknown) => {
    if (typeof value !== 'string' || !value) throw new TypeError('id must be a passkey id')
    return value
  }

  return {
    available: browserSupportsPasskeys,
    signIn: signIn.signIn,
    autofill: signIn.autofill,

    /** Registration: options for the signed-in user, the browser creates the passkey, the API stores it. */
    async add(options = {}): Promise<PasskeySummary> {
      const given = options.name === undefined ? undefined : name(options.name)
      const session = store.getSnapshot().session
      if (!session) throw new host.RegionlessError('NO_SESSION', 'Sign in before adding a passkey')
      const { options: optionsJSON } = await api.registrationOptions(session.email)
      store.dispatch({ type: 'busy', status: 'waiting-for-passkey' })
      try {
        const response = await createPasskey(host, optionsJSON)
        store.dispatch({ type: 'busy', status: 'verifying' })
        const { passkey } = await api.register(response, given)
        store.dispatch({ type: 'settled' })
        changed({ change: 'added', id: passkey.id, passkey })
        return passkey
      } catch (err) {
        const ours = (err as Error | null)?.name === 'RegionlessError'
        store.dispatch(ours ? { type: 'failed', error: err as never } : { type: 'settled' })
        throw err
      }
    },
    list: async () => (await api.list()).passkeys,
    async rename(passkeyId, newName) {
      const { passkey } = await api.rename(id(passkeyId), name(newName))
      changed({ change: 'renamed', id: passkey.id, passkey })
      return passkey
    },
    async remove(passkeyId) {
      await api.remove(id(passkeyId))
      changed({ change: 'removed', id: passkeyId })
    },
  }
}
