import ky, { type KyInstance } from 'ky'
import { PLACEHOLDER } from './api-fetch.js'
import type { AuthClient } from './client.js'

/**
 * A ky instance over `client.fetchApi`: relative URLs go to the healthiest
 * region's API with the token, refresh on 401, failover for idempotent
 * requests; ky adds its hooks, `.json()`, search params and the rest. Kept
 * apart from the client so an app that does not call its API through it
 * ships no ky.
 *
 * @example
 * import { createApi, createAuthClient } from '@regionless/client'
 * const api = createApi(client)
 * const orders = await api.get('orders', { searchParams: { limit: 20 } }).json()
 */
export function createApi(client: Pick<AuthClient, 'fetchApi'>): KyInstance {
  if (typeof client?.fetchApi !== 'function') throw new TypeError('createApi needs a client from createAuthClient')
  // ky needs an absolute prefix; fetchApi re-targets it to a region's apiUrl.
  return ky.create({ prefixUrl: PLACEHOLDER, retry: 0, timeout: false, fetch: client.fetchApi })
}
