'use client'
import { createApi } from '@regionless/client'
import { useCallback, useMemo, useState } from 'react'
import { useAuthClient } from './provider.js'

/** The ky instance the product's API is called through (`createApi(client)`), one per client. */
export type Api = ReturnType<typeof createApi>

/**
 * The client's API as a ky instance: token attached, healthiest region,
 * refresh on 401, failover for idempotent requests. Made once per client.
 *
 * @example
 * const api = useApi()
 * const onClick = () => api.delete('me').json()
 */
export function useApi(): Api {
  const client = useAuthClient()
  return useMemo(() => createApi(client), [client])
}

export interface ApiCallState<T> {
  data: T | undefined
  error: unknown
  loading: boolean
}

/**
 * Calls the product's API through {@link useApi} and keeps the result for rendering.
 *
 * @example
 * const [whoami, call] = useApiCall<{ userId: string }>()
 * <button onClick={() => call((api) => api.get('whoami').json())}>Who am I?</button>
 */
export function useApiCall<T>(): [ApiCallState<T>, (run: (api: Api) => Promise<T>) => Promise<T | undefined>] {
  const api = useApi()
  const [state, setState] = useState<ApiCallState<T>>({ data: undefined, error: undefined, loading: false })
  const call = useCallback(
    async (run: (api: Api) => Promise<T>) => {
      setState((s) => ({ ...s, loading: true, error: undefined }))
      try {
        const data = await run(api)
        setState({ data, error: undefined, loading: false })
        return data
      } catch (error) {
        setState({ data: undefined, error, loading: false })
        return undefined
      }
    },
    [api],
  )
  return [state, call]
}
