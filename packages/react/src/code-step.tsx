'use client'
import type { ReactNode, Ref } from 'react'
import { ResendButton, SentTo } from './challenge-actions.js'
import { CodeInput } from './code-input.js'
import type { LoginStrings } from './strings.js'

export interface CodeStepProps {
  id: string
  strings: LoginStrings
  /** The address the code went to. */
  sentTo: string
  code: string
  onCodeChange(code: string): void
  onSubmit(code: string): void
  onResend(): void
  onRestart(): void
  codeLength: number
  resendIn: number
  /** Anything running: buttons are disabled. */
  busy: boolean
  verifying: boolean
  /** The code shown was refused: the field is marked and the error tied to it. */
  invalid: boolean
  attemptsLeft: number | undefined
  /** Ids of what describes the field besides its label (the error, the notices). */
  describedBy: string
  error: ReactNode
  inputRef: Ref<HTMLInputElement>
}

/** The code step: where the code went, the field, the attempts left, resend. */
export function CodeStep(props: CodeStepProps) {
  const { id, strings, code, codeLength, busy } = props
  const attemptsId = `${id}-attempts`
  const showAttempts = props.invalid && props.attemptsLeft !== undefined
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        props.onSubmit(code)
      }}
      aria-busy={busy || undefined}
      noValidate
    >
      <SentTo
        id={`${id}-sent`}
        text={strings.codeSentTo(props.sentTo)}
        editLabel={strings.useAnotherEmail}
        busy={busy}
        onEdit={props.onRestart}
      />
      <CodeInput
        id={id}
        value={code}
        onChange={props.onCodeChange}
        onComplete={props.onSubmit}
        length={codeLength}
        label={strings.codeLabel}
        busy={props.verifying}
        invalid={props.invalid}
        describedBy={[props.describedBy, showAttempts && attemptsId, `${id}-sent`].filter(Boolean).join(' ')}
        inputRef={props.inputRef}
      />
      {props.error}
      {showAttempts ? (
        <p className="rl-muted" id={attemptsId}>
          {strings.attemptsLeft(props.attemptsLeft!)}
        </p>
      ) : null}
      <button className="rl-button" type="submit" disabled={busy || code.length !== codeLength}>
        {props.verifying ? strings.verifying : strings.verify}
      </button>
      <ResendButton
        seconds={props.resendIn}
        label={strings.resend}
        waitLabel={strings.resendIn(props.resendIn)}
        busy={busy}
        onResend={props.onResend}
      />
    </form>
  )
}
