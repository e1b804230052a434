'use client'
import type { PasskeySummary } from '@regionless/client'
import { useCallback, useEffect, useState } from 'react'
import { asErrorLike, type ErrorLike } from './error-message.js'
import { useAuth } from './hooks.js'

/** What `usePasskeys` is doing: loading, adding, or renaming / deleting one passkey. */
export type PasskeysPending = 'load' | 'add' | `rename:${string}` | `delete:${string}` | null

/**
 * The signed-in user's passkeys, and actions on them. The list loads when a
 * user signs in (and empties on sign-out); each action updates it in place.
 * An action resolves true when it succeeded; its failure is in `error`.
 *
 * @example
 * const { passkeys, add, remove, error } = usePasskeys()
 */
export function usePasskeys() {
  const { client, state } = useAuth()
  const userId = state.session?.userId
  const [passkeys, setPasskeys] = useState<PasskeySummary[] | null>(null)
  const [pending, setPending] = useState<PasskeysPending>(null)
  const [error, setError] = useState<ErrorLike | null>(null)
  // Known after mount only: the server cannot tell the browser's support, and hydration must match.
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])

  const act = useCallback(async (what: Exclude<PasskeysPending, null>, work: () => Promise<void>) => {
    setPending(what)
    setError(null)
    try {
      await work()
      return true
    } catch (err) {
      setError(asErrorLike(err))
      return false
    } finally {
      setPending(null)
    }
  }, [])

  const reload = useCallback(() => act('load', async () => setPasskeys(await client.listPasskeys())), [act, client])
  useEffect(() => {
    setPasskeys(null)
    if (userId) void reload()
  }, [userId, reload])
  // A change made elsewhere (the "add a passkey?" prompt, another manager) shows here too.
  useEffect(
    () =>
      client.on('passkeysChanged', ({ change, id, passkey }) =>
        setPasskeys((list) => {
          const others = (list ?? []).filter((p) => p.id !== id)
          if (change === 'removed' || !passkey) return others
          return change === 'added' ? [passkey, ...others] : (list ?? []).map((p) => (p.id === id ? passkey : p))
        }),
      ),
    [client],
  )

  return {
    passkeys,
    pending,
    error,
    /** The client has the `passkeys()` plugin and the browser supports WebAuthn; null until mounted. */
    available: mounted ? client.passkeysAvailable() : null,
    reload,
    add: (name?: string) =>
      act('add', async () => {
        await client.addPasskey(name ? { name } : {})
      }),
    rename: (id: string, name: string) =>
      act(`rename:${id}`, async () => {
        await client.renamePasskey(id, name)
      }),
    remove: (id: string) =>
      act(`delete:${id}`, async () => {
        await client.deletePasskey(id)
      }),
  }
}
