'use client'
import type { Session } from '@regionless/client'
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { CodeInput } from './code-input.js'
import { errorMessage } from './error-message.js'
import { useAuth } from './hooks.js'
import { type LoginStrings, mergeStrings } from './strings.js'
import { defaultCss } from './styles.js'
import { useCountdown } from './use-countdown.js'

export type LoginMethod = 'code' | 'link'

export interface PasswordlessLoginProps {
  /** Methods offered, in order. Default: both, code first. */
  methods?: LoginMethod[]
  /**
   * `auto` (default) creates the account when the email is new, then signs in;
   * `sign-in` never creates accounts; `sign-up` always tries to create one first.
   */
  mode?: 'auto' | 'sign-in' | 'sign-up'
  /** Where magic links lead (allow-listed by the backend). Default: the current page. */
  redirectUri?: string
  /** Replaces some or all strings, e.g. for another language. */
  strings?: Partial<Omit<LoginStrings, 'errors'>> & { errors?: Partial<LoginStrings['errors']> }
  /** No default styles: only class names (`rl-*`) remain. */
  unstyled?: boolean
  className?: string
  codeLength?: number
  /** Completes a magic link found in the URL when the component mounts. Default: true. */
  completeLinkOnMount?: boolean
  onSignedIn?(session: Session): void
  /** What to show once signed in. Default: "Signed in as …". */
  renderSignedIn?(session: Session): ReactNode
}

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
const hasLinkInUrl = () => typeof location !== 'undefined' && location.hash.includes('regionless-link=')

/**
 * The drop-in sign-in: email → code or link → signed in, with failover,
 * resend countdown, and a message for every error.
 *
 * @example
 * <RegionlessProvider client={client}>
 *   <PasswordlessLogin methods={['code', 'link']} strings={{ title: 'Welcome back' }} />
 * </RegionlessProvider>
 */
export function PasswordlessLogin(props: PasswordlessLoginProps) {
  const { methods = ['code', 'link'], mode = 'auto', codeLength = 6, completeLinkOnMount = true } = props
  const { state, client } = useAuth()
  const strings = mergeStrings(props.strings)
  const [email, setEmail] = useState('')
  const [code, setCode] = useState('')
  const [localError, setLocalError] = useState<{ code: string } | null>(null)
  const [completingLink, setCompletingLink] = useState(false)
  const statusId = useId()
  const challenge = state.challenge
  const resendIn = useCountdown(challenge?.resendAvailableAt)
  const signedInReported = useRef<string | null>(null)

  useEffect(() => {
    if (!completeLinkOnMount || !hasLinkInUrl()) return
    setCompletingLink(true)
    client
      .completeMagicLink()
      .catch(() => {}) // the error is in the client's state and shown below
      .finally(() => setCompletingLink(false))
  }, [client, completeLinkOnMount])

  useEffect(() => {
    if (state.session && signedInReported.current !== state.session.userId) {
      signedInReported.current = state.session.userId
      props.onSignedIn?.(state.session)
    }
  }, [state.session, props.onSignedIn])

  // A new challenge (resend, failover) starts with an empty code field.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the challenge object changes
  useEffect(() => setCode(''), [challenge?.region, challenge?.resendAvailableAt])

  const busy = state.status === 'sending' || state.status === 'verifying' || completingLink
  const error = errorMessage(localError ?? state.error, strings)

  async function start(method: LoginMethod) {
    setLocalError(null)
    if (!looksLikeEmail(email)) return setLocalError({ code: 'INVALID_EMAIL' })
    const redirectUri = props.redirectUri ?? (typeof location !== 'undefined' ? location.href.split('#')[0] : undefined)
    try {
      if (mode !== 'sign-in') {
        await client.signUp({ email }).catch((err: { code?: string }) => {
          // An existing account is the normal case of `auto`: go on and sign in.
          if (err?.code !== 'USER_EXISTS') throw err
        })
      }
      await client.signIn({ email, method, ...(method === 'link' && redirectUri ? { redirectUri } : {}) })
    } catch {
      // The client put the error in its state.
    }
  }

  const submitEmail = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
    void start((submitter?.value as LoginMethod | undefined) ?? methods[0] ?? 'code')
  }
  const submitCode = (value: string) => {
    if (value.length !== codeLength || busy) return
    setLocalError(null)
    client.answer(value).catch(() => {})
  }
  const resend = () => {
    setLocalError(null)
    client.resend().catch(() => {})
  }
  const restart = () => {
    setLocalError(null)
    setCode('')
    client.cancel()
  }

  let body: ReactNode
  if (state.session) {
    body = props.renderSignedIn ? props.renderSignedIn(state.session) : <p>{strings.signedInAs(state.session.email)}</p>
  } else if (completingLink) {
    body = <p className="rl-muted">{strings.linkCompleting}</p>
  } else if (
    challenge &&
    (state.status === 'awaiting-code' || (state.status === 'verifying' && challenge.method === 'code'))
  ) {
    body = (
      <form
        onSubmit={(event) => {
          event.preventDefault()
          submitCode(code)
        }}
        aria-describedby={statusId}
        noValidate
      >
        <p className="rl-muted">{strings.codeSentTo(challenge.destination ?? challenge.email)}</p>
        <CodeInput
          value={code}
          onChange={setCode}
          onComplete={submitCode}
          length={codeLength}
          label={strings.codeLabel}
          disabled={busy}
          describedBy={statusId}
          autoFocus
        />
        {challenge.attemptsLeft !== undefined && state.error?.code === 'CODE_MISMATCH' ? (
          <p className="rl-muted">{strings.attemptsLeft(challenge.attemptsLeft)}</p>
        ) : null}
        <button className="rl-button" type="submit" disabled={busy || code.length !== codeLength}>
          {state.status === 'verifying' ? strings.verifying : strings.verify}
        </button>
        <ResendRow strings={strings} seconds={resendIn} busy={busy} onResend={resend} onRestart={restart} />
      </form>
    )
  } else if (challenge && challenge.method === 'link') {
    body = (
      <div className="rl-step">
        <h3>{strings.linkSentTitle}</h3>
        <p className="rl-muted">{strings.linkSentTo(challenge.destination ?? challenge.email)}</p>
        <ResendRow strings={strings} seconds={resendIn} busy={busy} onResend={resend} onRestart={restart} />
      </div>
    )
  } else {
    body = (
      <form onSubmit={submitEmail} noValidate>
        <div className="rl-field">
          <label className="rl-label" htmlFor={`${statusId}-email`}>
            {strings.emailLabel}
          </label>
          <input
            id={`${statusId}-email`}
            className="rl-input"
            type="email"
            name="email"
            autoComplete="email webauthn"
            placeholder={strings.emailPlaceholder}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            disabled={busy}
            aria-invalid={localError?.code === 'INVALID_EMAIL' || undefined}
            aria-describedby={statusId}
            required
          />
        </div>
        {methods.length > 1 ? <p className="rl-muted">{strings.chooseMethod}</p> : null}
        {methods.map((method) => (
          <button key={method} className="rl-button" type="submit" name="method" value={method} disabled={busy}>
            {busy && state.status === 'sending'
              ? strings.sending
              : methods.length > 1
                ? method === 'code'
                  ? strings.sendCode
                  : strings.sendLink
                : strings.continue}
          </button>
        ))}
      </form>
    )
  }

  const failover = challenge?.failover
  return (
    <section className={['rl-login', props.className].filter(Boolean).join(' ')} aria-labelledby={`${statusId}-title`}>
      {props.unstyled ? null : <style>{defaultCss}</style>}
      <h2 id={`${statusId}-title`}>{strings.title}</h2>
      {body}
      <div id={statusId} aria-live="polite" aria-atomic="true">
        {failover && !state.session ? (
          <p className="rl-notice">{strings.failover(failover.from, failover.to)}</p>
        ) : null}
        {error ? (
          <p className="rl-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </section>
  )
}

function ResendRow(props: {
  strings: LoginStrings
  seconds: number
  busy: boolean
  onResend(): void
  onRestart(): void
}) {
  const { strings, seconds, busy } = props
  return (
    <>
      <button className="rl-link-button" type="button" onClick={props.onResend} disabled={busy || seconds > 0}>
        {seconds > 0 ? strings.resendIn(seconds) : strings.resend}
      </button>
      <button className="rl-link-button" type="button" onClick={props.onRestart} disabled={busy}>
        {strings.useAnotherEmail}
      </button>
    </>
  )
}
