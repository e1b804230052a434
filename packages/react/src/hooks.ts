'use client'
import type { AuthClient, AuthState, Session } from '@regionless/client'
import { useAuthClient } from './provider.js'
import { useExternalStore } from './use-external-store.js'

/**
 * The whole auth state and the client, re-rendering on every change.
 *
 * @example
 * const { state, client } = useAuth()
 * if (state.status === 'awaiting-code') return <CodeForm onSubmit={(code) => client.answer(code)} />
 */
export function useAuth(): { state: AuthState; client: AuthClient } {
  const client = useAuthClient()
  return { state: useExternalStore(client), client }
}

/** The signed-in session, or `null`. */
export function useSession(): Session | null {
  return useAuth().state.session
}

/** The region the client uses right now (changes on failover). */
export function useRegion(): string {
  return useAuth().state.region
}
