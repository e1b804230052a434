import type { PasskeyStore, SingleUseStore } from '@regionless/backend'
import { type SharedStores, STORE_METHODS, type StoreName } from './shared-stores.js'

/**
 * The emulator's shared stores, from another process: what an API beside the emulator (the example
 * API) uses where a deployment uses the global table, so the passkeys it registers are the ones the
 * emulator's triggers check, and a challenge spent by either is spent for both.
 *
 * @example
 * const { passkeys, singleUse } = createEmulatorStores('http://127.0.0.1:9229')
 * const service = createPasskeyService({ passkeys, singleUse, region, relyingParty })
 */
export function createEmulatorStores(controlUrl: string, fetchFn: typeof fetch = fetch): SharedStores {
  const endpoint = new URL('/_regionless/stores', controlUrl).href
  const remote = <S extends StoreName>(store: S) =>
    Object.fromEntries(
      STORE_METHODS[store].map((method) => [
        method,
        async (...args: unknown[]) => {
          const res = await fetchFn(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ store, method, args }),
          })
          const body = (await res.json()) as { result?: unknown; error?: string }
          if (!res.ok) throw new Error(`emulator store ${store}.${method}: ${body.error ?? res.status}`)
          return body.result
        },
      ]),
    )
  return {
    singleUse: remote('singleUse') as unknown as SingleUseStore,
    passkeys: remote('passkeys') as unknown as PasskeyStore,
  }
}
