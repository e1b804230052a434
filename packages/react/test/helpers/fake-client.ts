import type { AuthClient, AuthState, ChallengeState, PasskeySummary, SignInOptions } from '@regionless/client'
import { RegionlessError } from '@regionless/client'

/** A test-held promise: the action waits on it between "busy" and its outcome. */
function deferred() {
  let release!: () => void
  const promise = new Promise<void>((resolve) => {
    release = resolve
  })
  return { promise, release }
}

/**
 * A scripted stand-in for the client: a real store, with actions the test
 * drives. Like the real client, an action first waits a tick (the real one
 * waits for the stored state), then shows its busy status, then puts its
 * outcome, error included, in the state; a second `signIn` while one runs
 * gets the same promise.
 */
export function fakeClient(initial: Partial<AuthState> = {}, options: { passkeys?: boolean } = {}) {
  let state: AuthState = {
    status: 'signed-out',
    session: null,
    challenge: null,
    region: 'eu-west-1',
    error: null,
    ...initial,
  }
  const listeners = new Set<() => void>()
  const set = (patch: Partial<AuthState>) => {
    state = { ...state, ...patch }
    for (const l of [...listeners]) l()
  }
  const calls: Array<[string, unknown]> = []
  const session = {
    userId: 'u_1',
    email: 'ada@example.com',
    region: 'eu-west-1',
    tokens: { idToken: 'i', accessToken: 'a', expiresAt: Date.now() + 3_600_000 },
  }
  const challenge = (patch: Partial<ChallengeState> = {}): ChallengeState => ({
    method: 'code',
    email: 'ada@example.com',
    region: 'eu-west-1',
    destination: 'a***@e***.com',
    attemptsLeft: 3,
    resendAvailableAt: Date.now() + 30_000,
    ...patch,
  })
  let rightCode = '123456'
  let gate: ReturnType<typeof deferred> | null = null
  let nextError: { error: Error; inState: boolean } | null = null
  let signUpUnavailable = false
  let sending: Promise<ChallengeState> | null = null
  const resting = () => (state.challenge ? `awaiting-${state.challenge.method}` : 'signed-out') as AuthState['status']

  // Busy, then held while the test holds, then the scripted error (in the state or not) or `outcome`.
  async function perform<T>(status: 'sending' | 'verifying', outcome: () => T): Promise<T> {
    await Promise.resolve()
    set({ status, error: null })
    await gate?.promise
    const failure = nextError
    nextError = null
    if (failure?.inState) set({ status: resting(), error: failure.error as RegionlessError })
    else if (failure) set({ status: resting() })
    if (failure) throw failure.error
    return outcome()
  }

  // Passkeys: whether the client has the plugin (and the browser WebAuthn), the user's list,
  // and the autofill waits the login started (each with its signal, settled by the test).
  let passkeysAvailable = options.passkeys ?? false
  let passkeys: PasskeySummary[] = []
  const autofills: Array<{ signal?: AbortSignal; choose(): void }> = []
  const passkey = (id: string, name: string): PasskeySummary => ({
    id,
    name,
    createdAt: '2026-01-02T10:00:00Z',
    registeredRegion: 'eu-west-1',
    backedUp: true,
    deviceType: 'multiDevice',
  })
  const passkeyError = (code: 'PASSKEY_CANCELLED' | 'PASSKEY_NOT_FOUND') => new RegionlessError(code, code)
  let nextPasskeyError: RegionlessError | null = null
  // Like the real client, each change to the list is announced to `passkeysChanged` listeners.
  type Change = { change: 'added' | 'renamed' | 'removed'; id: string; passkey?: PasskeySummary }
  const changeListeners = new Set<(change: Change) => void>()
  const announce = (change: Change) => {
    for (const listener of [...changeListeners]) listener(change)
  }
  const passkeyCall = async <T>(name: string, args: unknown, outcome: () => T): Promise<T> => {
    calls.push([name, args])
    await Promise.resolve()
    const failure = nextPasskeyError
    nextPasskeyError = null
    if (failure) throw failure
    return outcome()
  }

  const client = {
    passkeysAvailable: () => passkeysAvailable,
    signInWithPasskeyAutofill({ signal }: { signal?: AbortSignal } = {}) {
      calls.push(['signInWithPasskeyAutofill', null])
      return new Promise((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(passkeyError('PASSKEY_CANCELLED')), { once: true })
        autofills.push({
          signal,
          choose() {
            set({ status: 'signed-in', session, challenge: null, error: null })
            resolve(session)
          },
        })
      })
    },
    addPasskey: (args?: { name?: string }) =>
      passkeyCall('addPasskey', args ?? null, () => {
        const added = passkey(`p${passkeys.length + 1}`, args?.name ?? 'New passkey')
        passkeys = [added, ...passkeys]
        announce({ change: 'added', id: added.id, passkey: added })
        return added
      }),
    listPasskeys: () => passkeyCall('listPasskeys', null, () => passkeys),
    renamePasskey: (id: string, name: string) =>
      passkeyCall('renamePasskey', [id, name], () => {
        passkeys = passkeys.map((p) => (p.id === id ? { ...p, name } : p))
        const renamed = passkeys.find((p) => p.id === id)!
        announce({ change: 'renamed', id, passkey: renamed })
        return renamed
      }),
    deletePasskey: (id: string) =>
      passkeyCall('deletePasskey', id, () => {
        if (!passkeys.some((p) => p.id === id)) throw passkeyError('PASSKEY_NOT_FOUND')
        passkeys = passkeys.filter((p) => p.id !== id)
        announce({ change: 'removed', id })
      }),
    on(event: string, handler: (change: Change) => void) {
      if (event !== 'passkeysChanged') return () => {}
      changeListeners.add(handler)
      return () => changeListeners.delete(handler)
    },
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    async signUp(options: { email: string }) {
      calls.push(['signUp', options])
      throw new RegionlessError('USER_EXISTS', 'exists')
    },
    signIn(options: SignInOptions | { email: string; method: 'passkey' }) {
      calls.push(['signIn', options])
      if (options.method === 'passkey')
        return passkeyCall('passkey', null, () => {
          set({ status: 'signed-in', session, challenge: null, error: null })
          return session
        })
      if (sending) return sending
      sending = perform('sending', () => {
        const c = challenge({
          method: options.method,
          email: options.email.trim(),
          ...(options.createAccount && signUpUnavailable ? { signUpUnavailable: true } : {}),
        })
        set({ status: `awaiting-${options.method}`, challenge: c, error: null })
        return c
      }).finally(() => {
        sending = null
      })
      return sending
    },
    answer(code: string) {
      calls.push(['answer', code])
      return perform('verifying', () => {
        if (code !== rightCode) {
          const error = new RegionlessError('CODE_MISMATCH', 'wrong')
          const attemptsLeft = (state.challenge?.attemptsLeft ?? 3) - 1
          set({ status: 'awaiting-code', error, challenge: { ...state.challenge!, attemptsLeft } })
          throw error
        }
        set({ status: 'signed-in', session, challenge: null, error: null })
        return session
      })
    },
    resend() {
      calls.push(['resend', null])
      return perform('sending', () => {
        const c = { ...state.challenge!, resendAvailableAt: Date.now() + 30_000 }
        set({ status: resting(), challenge: c })
        return c
      })
    },
    cancel() {
      calls.push(['cancel', null])
      set({ status: 'signed-out', challenge: null, error: null })
    },
    completeMagicLink() {
      calls.push(['completeMagicLink', null])
      return perform('verifying', () => {
        set({ status: resting() })
        return null
      })
    },
  }
  return {
    /** Passkeys: the plugin and browser support, the user's passkeys, the autofill waits started. */
    setPasskeysAvailable(value: boolean) {
      passkeysAvailable = value
    },
    setPasskeys(list: Array<[id: string, name: string, lastUsed?: [at: string, region: string]]>) {
      passkeys = list.map(([id, name, used]) => ({
        ...passkey(id, name),
        ...(used ? { lastUsedAt: used[0], lastUsedRegion: used[1] } : {}),
      }))
    },
    passkeys: () => passkeys,
    autofills,
    failNextPasskeyCall(error: RegionlessError) {
      nextPasskeyError = error
    },
    client: client as unknown as AuthClient,
    calls,
    set,
    challenge,
    session,
    setRightCode: (code: string) => {
      rightCode = code
    },
    /** Holds the next actions after their busy status, until `release()`. */
    hold() {
      gate = deferred()
      const held = gate
      return () => {
        if (gate === held) gate = null
        held.release()
      }
    },
    /** The next action fails with `error`, put in the state as the client does, or only thrown. */
    failNext(error: Error, { inState = true } = {}) {
      nextError = { error, inState }
    },
    /** `signIn({ createAccount: true })` finds that accounts cannot be created right now. */
    setSignUpUnavailable(value: boolean) {
      signUpUnavailable = value
    },
  }
}
