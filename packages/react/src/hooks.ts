'use client'
import type { AuthClient, AuthState, Session } from '@regionless/client'
import { useCallback, useState } from 'react'
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

export interface ApiCallState<T> {
  data: T | undefined
  error: unknown
  loading: boolean
}

/**
 * Calls the product's API through `client.api` (token attached, healthiest
 * region, refresh and failover handled) and keeps the result for rendering.
 *
 * @example
 * const [whoami, call] = useApiCall<{ userId: string }>()
 * <button onClick={() => call((api) => api.get('whoami').json())}>Who am I?</button>
 */
export function useApiCall<T>(): [
  ApiCallState<T>,
  (run: (api: AuthClient['api']) => Promise<T>) => Promise<T | undefined>,
] {
  const client = useAuthClient()
  const [state, setState] = useState<ApiCallState<T>>({ data: undefined, error: undefined, loading: false })
  const call = useCallback(
    async (run: (api: AuthClient['api']) => Promise<T>) => {
      setState((s) => ({ ...s, loading: true, error: undefined }))
      try {
        const data = await run(client.api)
        setState({ data, error: undefined, loading: false })
        return data
      } catch (error) {
        setState({ data: undefined, error, loading: false })
        return undefined
      }
    },
    [client],
  )
  return [state, call]
}
