'use client'
import type { ReactNode } from 'react'
import { ResendButton, SentTo } from './challenge-actions.js'
import type { LoginStrings } from './strings.js'

export interface LinkStepProps {
  id: string
  strings: LoginStrings
  sentTo: string
  resendIn: number
  busy: boolean
  error: ReactNode
  onResend(): void
  onRestart(): void
}

/** "Check your email": where the link went, resend, another email. */
export function LinkStep({ id, strings, sentTo, resendIn, busy, error, onResend, onRestart }: LinkStepProps) {
  return (
    <div className="rl-step" aria-busy={busy || undefined}>
      <SentTo
        id={`${id}-sent`}
        text={strings.linkSentTo(sentTo)}
        editLabel={strings.useAnotherEmail}
        busy={busy}
        onEdit={onRestart}
      />
      {error}
      <ResendButton
        seconds={resendIn}
        label={strings.resendLink}
        waitLabel={strings.resendLinkIn(resendIn)}
        busy={busy}
        onResend={onResend}
      />
    </div>
  )
}
