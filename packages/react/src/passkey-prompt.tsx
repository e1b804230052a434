'use client'
import type { AuthClient } from '@regionless/client'
import { useEffect, useRef, useState } from 'react'
import { type ErrorLike, errorMessage } from './error-message.js'
import type { LoginStrings } from './strings.js'

/** Where the login remembers that a user answered the "add a passkey" prompt. Sync only: it is read while rendering. */
export interface PromptMemory {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** `localStorage` when there is one (and it works: private modes may throw), else nothing is remembered. */
export const localPromptMemory = (): PromptMemory => ({
  getItem: (key) => {
    try {
      return globalThis.localStorage?.getItem(key) ?? null
    } catch {
      return null
    }
  },
  setItem: (key, value) => {
    try {
      globalThis.localStorage?.setItem(key, value)
    } catch {}
  },
})

/** One key per user: another account on the same browser is asked again. */
export const promptKey = (userId: string) => `regionless.passkey-prompt.${userId}`

export interface PasskeyPromptProps {
  id: string
  client: AuthClient
  userId: string
  strings: LoginStrings
  memory: PromptMemory
  /** The prompt's own action runner (one call at a time, busy from the click). */
  run(call: () => Promise<unknown>): Promise<void>
  busy: boolean
  error: ErrorLike | null
}

/**
 * After a code or link sign-in: "add a passkey?". Either answer is
 * remembered for this user, so the prompt does not come back on every sign-in.
 */
export function PasskeyPrompt(props: PasskeyPromptProps) {
  const { id, strings, memory, userId, busy } = props
  const key = promptKey(userId)
  const [answered, setAnswered] = useState(() => memory.getItem(key))
  const status = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (answered === 'added') status.current?.focus()
  }, [answered])
  const remember = (value: string) => {
    memory.setItem(key, value)
    setAnswered(value)
  }
  if (answered === 'added')
    return (
      <p ref={status} className="rl-notice" role="status" tabIndex={-1}>
        {strings.passkeyAdded}
      </p>
    )
  if (answered) return null
  const message = errorMessage(props.error, strings)
  const add = () =>
    void props.run(async () => {
      await props.client.addPasskey()
      remember('added')
    })
  return (
    <section className="rl-passkey-prompt" aria-labelledby={`${id}-text`}>
      <p id={`${id}-text`}>{strings.addPasskeyPrompt}</p>
      {message ? (
        <p className="rl-error" role="alert">
          {message}
        </p>
      ) : null}
      <button className="rl-button" type="button" onClick={add} disabled={busy}>
        {busy ? strings.waitingForPasskey : strings.addPasskey}
      </button>
      <button className="rl-link-button" type="button" onClick={() => remember('dismissed')} disabled={busy}>
        {strings.notNow}
      </button>
    </section>
  )
}
