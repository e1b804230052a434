'use client'
import type { FormEvent, ReactNode, Ref } from 'react'
import type { LoginMethod } from './login-method.js'
import type { LoginStrings } from './strings.js'

export interface EmailStepProps {
  id: string
  strings: LoginStrings
  methods: LoginMethod[]
  email: string
  onEmailChange(email: string): void
  onSend(method: LoginMethod): void
  busy: boolean
  /** The method whose button says "Sending…". */
  sending: LoginMethod | null
  invalid: boolean
  /** The id of the error shown, to tie it to the field. */
  errorId: string | undefined
  error: ReactNode
  inputRef: Ref<HTMLInputElement>
  /** Username-first passkey sign-in; no button without it. */
  onPasskey?: () => void
  /** The browser's passkey dialog is open. */
  waitingForPasskey?: boolean
}

/** The first step: the address, and one button per method. */
export function EmailStep(props: EmailStepProps) {
  const { id, strings, methods, busy, sending } = props
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
    props.onSend((submitter?.value as LoginMethod | undefined) || methods[0] || 'code')
  }
  const label = (method: LoginMethod) =>
    sending === method
      ? strings.sending
      : methods.length === 1
        ? strings.continue
        : method === 'code'
          ? strings.sendCode
          : strings.sendLink
  return (
    <form onSubmit={submit} aria-busy={busy || undefined} noValidate>
      <div className="rl-field">
        <label className="rl-label" htmlFor={id}>
          {strings.emailLabel}
        </label>
        <input
          id={id}
          ref={props.inputRef}
          className="rl-input"
          type="email"
          name="email"
          // `webauthn` last: the browser offers passkeys in this field's autofill (conditional mediation).
          autoComplete="username webauthn"
          placeholder={strings.emailPlaceholder}
          value={props.email}
          onChange={(event) => props.onEmailChange(event.target.value)}
          // Not `disabled`: the field keeps focus (Enter was pressed in it) while sending.
          readOnly={busy}
          aria-invalid={props.invalid || undefined}
          aria-describedby={props.errorId}
          required
        />
      </div>
      {props.error}
      {methods.length > 1 ? <p className="rl-muted">{strings.chooseMethod}</p> : null}
      {methods.map((method) => (
        <button key={method} className="rl-button" type="submit" name="method" value={method} disabled={busy}>
          {label(method)}
        </button>
      ))}
      {props.onPasskey ? (
        <button className="rl-button rl-secondary" type="button" onClick={props.onPasskey} disabled={busy}>
          {props.waitingForPasskey ? strings.waitingForPasskey : strings.passkeySignIn}
        </button>
      ) : null}
    </form>
  )
}
