'use client'
import type { AuthClient } from '@regionless/client'
import { useCallback, useRef, useState } from 'react'
import { asErrorLike, type ErrorLike } from './error-message.js'

/** What the login is doing: a method being sent, a resend, an answer, a link being completed, a passkey. */
export type LoginAction = 'code' | 'link' | 'resend' | 'answer' | 'complete-link' | 'passkey' | 'add-passkey'

/**
 * Runs one client call at a time for the login and knows at once that it
 * runs: `pending` is set in the same event as the click, before the client
 * has said anything, so the form shows its busy state without a gap. A call
 * made while another runs gets the running one's promise (a double click is
 * one call).
 *
 * The client reports its errors in `state.error`; an error thrown with
 * nothing in the state (a `TypeError`, a bug) becomes `thrown`, so the user
 * never faces a silent form.
 */
export function useLoginActions(client: AuthClient) {
  const [pending, setPending] = useState<LoginAction | null>(null)
  const [thrown, setThrown] = useState<ErrorLike | null>(null)
  const running = useRef<Promise<void> | null>(null)

  // Stable for a client: it reads only refs and state setters.
  const run = useCallback(
    (action: LoginAction, call: () => Promise<unknown>): Promise<void> => {
      if (running.current) return running.current
      setPending(action)
      setThrown(null)
      // Marked before the call: a call that throws at once clears the mark in `finally`, synchronously.
      running.current = Promise.resolve()
      const done = (async () => {
        try {
          await call()
        } catch (err) {
          if (client.getSnapshot().error !== err) setThrown(asErrorLike(err))
        } finally {
          running.current = null
          setPending(null)
        }
      })()
      if (running.current) running.current = done
      return done
    },
    [client],
  )

  const clearThrown = useCallback(() => setThrown(null), [])
  return { pending, thrown, run, clearThrown }
}
