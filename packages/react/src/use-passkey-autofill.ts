'use client'
import type { AuthClient } from '@regionless/client'
import { useEffect } from 'react'

/**
 * Waits for a passkey picked in the email field's autofill while `active`.
 * Turning inactive (a send, the passkey button, unmount) aborts the wait: the
 * browser allows one pending request, and a button's request must win. The
 * outcome goes through the client's state like any sign-in; a wait that ends
 * without a choice (aborted, unsupported) is not an error to show.
 */
export function usePasskeyAutofill(client: AuthClient, active: boolean) {
  useEffect(() => {
    if (!active) return
    const controller = new AbortController()
    client.signInWithPasskeyAutofill({ signal: controller.signal }).catch(() => {})
    return () => controller.abort()
  }, [client, active])
}
