import type { PasskeyStore, SingleUseStore } from '@regionless/backend'

/**
 * The stores every region sees (one DynamoDB global table in AWS): spent links and challenges, and
 * passkeys. The triggers use them in process; an API in another process (the example API) reaches
 * them through `POST /_regionless/stores` with {@link createEmulatorStores}.
 */
export interface SharedStores {
  singleUse: SingleUseStore
  passkeys: PasskeyStore
}

/** What `POST /_regionless/stores` may call, by store: nothing else is reachable. */
export const STORE_METHODS = {
  singleUse: ['consume'],
  passkeys: ['list', 'add', 'recordUse', 'rename', 'remove', 'removeAll', 'saveChallenge', 'findChallenge'],
} as const satisfies { [K in keyof SharedStores]: readonly (keyof SharedStores[K])[] }

export type StoreName = keyof typeof STORE_METHODS

/** A call refused before it reached a store: the request named no store or method it may call. */
export class StoreCallError extends Error {
  override readonly name = 'StoreCallError'
}

/** Runs one `{ store, method, args }` request against the shared stores. */
export async function callStore(stores: SharedStores, request: unknown): Promise<unknown> {
  const { store, method, args } = (request ?? {}) as { store?: unknown; method?: unknown; args?: unknown }
  const methods = STORE_METHODS[store as StoreName] as readonly string[] | undefined
  if (!methods) throw new StoreCallError(`store must be one of ${Object.keys(STORE_METHODS).join(', ')}`)
  if (typeof method !== 'string' || !methods.includes(method)) {
    throw new StoreCallError(`method must be one of ${methods.join(', ')}`)
  }
  if (!Array.isArray(args)) throw new StoreCallError('args must be an array')
  const target = stores[store as StoreName] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
  return target[method]!(...args)
}
