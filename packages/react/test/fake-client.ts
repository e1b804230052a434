import type { AuthClient, AuthState, ChallengeState, Session } from '@regionless/client'
import { RegionlessError } from '@regionless/client'

/** A scripted stand-in for the client: a real store, with actions the test drives. */
export function fakeClient(initial: Partial<AuthState> = {}) {
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
  const session: Session = {
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
  const client = {
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    async signUp(options: { email: string }) {
      calls.push(['signUp', options])
      throw new RegionlessError('USER_EXISTS', 'exists')
    },
    async signIn(options: { email: string; method: 'code' | 'link' }) {
      calls.push(['signIn', options])
      const c = challenge({ method: options.method })
      set({ status: options.method === 'code' ? 'awaiting-code' : 'awaiting-link', challenge: c, error: null })
      return c
    },
    async answer(code: string) {
      calls.push(['answer', code])
      if (code !== rightCode) {
        const error = new RegionlessError('CODE_MISMATCH', 'wrong')
        set({ status: 'awaiting-code', error, challenge: { ...state.challenge!, attemptsLeft: 2 } })
        throw error
      }
      set({ status: 'signed-in', session, challenge: null, error: null })
      return session
    },
    async resend() {
      calls.push(['resend', null])
      return state.challenge!
    },
    cancel() {
      calls.push(['cancel', null])
      set({ status: 'signed-out', challenge: null, error: null })
    },
    async completeMagicLink() {
      calls.push(['completeMagicLink', null])
      return null
    },
  }
  return {
    client: client as unknown as AuthClient,
    calls,
    set,
    challenge,
    setRightCode: (code: string) => {
      rightCode = code
    },
  }
}
