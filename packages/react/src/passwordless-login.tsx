'use client'
import type { Session } from '@regionless/client'
import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { CodeStep } from './code-step.js'
import { EmailStep } from './email-step.js'
import { type ErrorLike, errorMessage, errorToShow } from './error-message.js'
import { useAuth } from './hooks.js'
import { LinkStep } from './link-step.js'
import type { LoginMethod } from './login-method.js'
import { localPromptMemory, PasskeyPrompt, type PromptMemory } from './passkey-prompt.js'
import { type LoginStringsInput, mergeStrings } from './strings.js'
import { defaultCss } from './styles.js'
import { useCountdown } from './use-countdown.js'
import { useLoginActions } from './use-login-actions.js'
import { usePasskeyAutofill } from './use-passkey-autofill.js'
import { focusIfFree, useStepFocus } from './use-step-focus.js'

export type { LoginMethod } from './login-method.js'

export interface PasswordlessLoginProps {
  /** Methods offered, in order. Default: both, code first. */
  methods?: LoginMethod[]
  /**
   * `auto` (default) and `sign-up` create the account when the email is new,
   * then sign in, as one call (`signIn({ createAccount: true })`); `sign-in`
   * never creates accounts. No answer tells whether the email had an account.
   */
  mode?: 'auto' | 'sign-in' | 'sign-up'
  /** Where magic links lead (allow-listed by the backend). Default: the current page. */
  redirectUri?: string
  /** Replaces some or all strings, e.g. for another language. */
  strings?: LoginStringsInput
  /** No default styles: only class names (`rl-*`) remain. */
  unstyled?: boolean
  className?: string
  codeLength?: number
  /** Completes a magic link found in the URL when the component mounts. Default: true. */
  completeLinkOnMount?: boolean
  onSignedIn?(session: Session): void
  /** What to show under the "Signed in as …" heading once signed in. */
  renderSignedIn?(session: Session): ReactNode
  /**
   * Passkeys, when the client has the `passkeys()` plugin and the browser
   * supports them: a "Sign in with a passkey" button, passkeys offered in the
   * email field's autofill, and "add a passkey?" after a code or link sign-in.
   * Default: true.
   */
  passkeys?: boolean
  /** Where "Not now" on the add-a-passkey prompt is remembered, per user. Default: `localStorage`. */
  passkeyPromptMemory?: PromptMemory
}

type Step = 'email' | LoginMethod | 'completing' | 'signed-in'

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
const hasLinkInUrl = () => typeof location !== 'undefined' && location.hash.includes('regionless-link=')
// `signing-up` is a bare `client.signUp()` running elsewhere in the app.
const BUSY: string[] = ['sending', 'verifying', 'signing-up', 'waiting-for-passkey']
// Errors about the code typed, shown as the field's own.
const CODE_ERRORS: Array<string | undefined> = ['CODE_MISMATCH', 'CODE_EXPIRED']

/**
 * The drop-in sign-in: email → code or link → signed in, with failover,
 * resend countdown, and a message for every error. Each step has one heading
 * and takes focus when it appears; one click is one client call.
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
  const actions = useLoginActions(client)
  const { run } = actions
  const [email, setEmail] = useState('')
  const [code, setCode] = useState('')
  const [invalidEmail, setInvalidEmail] = useState<ErrorLike | null>(null)
  const [completingLink, setCompletingLink] = useState(false)
  // Passkeys show only after mount: the server cannot know the browser, and the first render must match its HTML.
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const passkeysShown = mounted && props.passkeys !== false && client.passkeysAvailable?.() === true
  // Set by a code or link sign-in only: a passkey sign-in is not followed by "add a passkey?".
  const [offerPasskeyTo, setOfferPasskeyTo] = useState<string | null>(null)
  const [memory] = useState(() => props.passkeyPromptMemory ?? localPromptMemory())
  const prompt = useLoginActions(client)
  const id = useId()
  const root = useRef<HTMLElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const emailField = useRef<HTMLInputElement>(null)
  const codeField = useRef<HTMLInputElement>(null)
  const signedInReported = useRef<string | null>(null)
  const { session, challenge } = state
  const resendIn = useCountdown(challenge?.resendAvailableAt)

  // A session wins over everything: it may come from another tab that opened the link.
  const step: Step = session
    ? 'signed-in'
    : completingLink || (state.status === 'verifying' && challenge?.method !== 'code')
      ? 'completing'
      : (challenge?.method ?? 'email')
  const busy = actions.pending !== null || BUSY.includes(state.status) || completingLink
  const error = step === 'signed-in' ? null : errorToShow(invalidEmail ?? actions.thrown ?? state.error, resendIn)
  const message = errorMessage(error, strings)
  const errorId = message ? `${id}-error` : undefined

  useStepFocus(
    step,
    root,
    () => (step === 'email' ? emailField.current : step === 'code' ? codeField.current : heading.current),
    step === 'code',
  )

  useEffect(() => {
    if (!completeLinkOnMount || !hasLinkInUrl()) return
    setCompletingLink(true)
    void run('complete-link', async () =>
      setOfferPasskeyTo((await client.completeMagicLink())?.userId ?? null),
    ).finally(() => setCompletingLink(false))
  }, [client, completeLinkOnMount, run])

  const { clearThrown } = actions
  useEffect(() => {
    if (!session) return
    // Errors of the way here are over; they must not come back after a sign-out.
    clearThrown()
    setInvalidEmail(null)
    if (signedInReported.current !== session.userId) {
      signedInReported.current = session.userId
      props.onSignedIn?.(session)
    }
  }, [session, props.onSignedIn, clearThrown])

  // A new challenge (resend, failover) starts with an empty code field.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the challenge is another one
  useEffect(() => setCode(''), [challenge?.region, challenge?.resendAvailableAt])

  // A wrong code: empty field, focus in it, so typing again is all it takes.
  const mismatch = state.error?.code === 'CODE_MISMATCH' ? state.error : null
  useEffect(() => {
    if (!mismatch) return
    setCode('')
    focusIfFree(root.current, codeField.current)
  }, [mismatch])

  // An error on the email step (all regions down, a rate limit): focus back on the field it is tied to.
  const emailError = step === 'email' ? error : null
  useEffect(() => {
    if (emailError) focusIfFree(root.current, emailField.current)
  }, [emailError])

  function send(method: LoginMethod) {
    if (busy) return
    setInvalidEmail(null)
    if (!looksLikeEmail(email)) return setInvalidEmail({ code: 'INVALID_EMAIL' })
    // Without the prop, the client's default applies: its `redirectUri` option, else the current page.
    const redirectUri = method === 'link' ? props.redirectUri : undefined
    void run(method, () =>
      client.signIn({ email, method, createAccount: mode !== 'sign-in', ...(redirectUri ? { redirectUri } : {}) }),
    )
  }
  const answer = (value: string) => {
    if (value.length === codeLength && !busy)
      void run('answer', async () => setOfferPasskeyTo((await client.answer(value)).userId))
  }
  function signInWithPasskey() {
    if (busy) return
    setInvalidEmail(null)
    if (!looksLikeEmail(email)) return setInvalidEmail({ code: 'INVALID_EMAIL' })
    void run('passkey', () => client.signIn({ email, method: 'passkey' }))
  }
  // Passkeys in the email field's autofill while the email step waits for the person.
  // Not again right after a refused passkey: an authenticator that answers by itself (some password
  // managers, a virtual one) would otherwise sign in, be refused and restart, in a loop.
  const refusedPasskey = state.error?.code === 'PASSKEY_REJECTED'
  usePasskeyAutofill(client, passkeysShown && step === 'email' && !busy && !refusedPasskey)
  const resend = () => void run('resend', () => client.resend())
  const restart = () => {
    clearThrown()
    setCode('')
    client.cancel()
  }

  const errorNode = message ? (
    <p id={errorId} className="rl-error" role="alert">
      {message}
    </p>
  ) : null
  // What the code or link step says about where the message went: the typed address, masked only as a fallback.
  const sentTo = challenge ? challenge.email || email || challenge.destination || '' : ''

  let title = strings.title
  let body: ReactNode
  if (step === 'signed-in' && session) {
    title = strings.signedInAs(session.email)
    body = (
      <>
        {offerPasskeyTo === session.userId && passkeysShown ? (
          <PasskeyPrompt
            id={`${id}-passkey`}
            client={client}
            userId={session.userId}
            strings={strings}
            memory={memory}
            run={(call) => prompt.run('add-passkey', call)}
            busy={prompt.pending !== null}
            error={prompt.thrown ?? state.error}
          />
        ) : null}
        {props.renderSignedIn?.(session) ?? null}
      </>
    )
  } else if (step === 'completing') {
    body = (
      <>
        <p className="rl-muted">{strings.linkCompleting}</p>
        {errorNode}
      </>
    )
  } else if (step === 'code') {
    title = strings.codeTitle
    body = (
      <CodeStep
        id={`${id}-code`}
        strings={strings}
        sentTo={sentTo}
        code={code}
        onCodeChange={setCode}
        onSubmit={answer}
        onResend={resend}
        onRestart={restart}
        codeLength={codeLength}
        resendIn={resendIn}
        busy={busy}
        verifying={state.status === 'verifying' || actions.pending === 'answer'}
        invalid={!!message && CODE_ERRORS.includes(error?.code)}
        attemptsLeft={challenge?.attemptsLeft}
        describedBy={[errorId, `${id}-notices`].filter(Boolean).join(' ')}
        error={errorNode}
        inputRef={codeField}
      />
    )
  } else if (step === 'link') {
    title = strings.linkSentTitle
    body = (
      <LinkStep
        id={`${id}-link`}
        strings={strings}
        sentTo={sentTo}
        resendIn={resendIn}
        busy={busy}
        error={errorNode}
        onResend={resend}
        onRestart={restart}
      />
    )
  } else {
    const { pending } = actions
    body = (
      <EmailStep
        id={`${id}-email`}
        strings={strings}
        methods={methods}
        email={email}
        onEmailChange={setEmail}
        onSend={send}
        busy={busy}
        sending={
          pending === 'code' || pending === 'link' ? pending : state.status === 'sending' ? (methods[0] ?? null) : null
        }
        invalid={!!invalidEmail}
        errorId={errorId}
        error={errorNode}
        inputRef={emailField}
        onPasskey={passkeysShown ? signInWithPasskey : undefined}
        waitingForPasskey={state.status === 'waiting-for-passkey'}
      />
    )
  }

  const failover = challenge?.failover
  return (
    <section ref={root} className={['rl-login', props.className].filter(Boolean).join(' ')}>
      {props.unstyled ? null : <style>{defaultCss}</style>}
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <div id={`${id}-notices`} className="rl-notices" aria-live="polite">
        {failover && !session ? (
          <p className="rl-notice">{strings.failover(failover.from, failover.to, challenge.method)}</p>
        ) : null}
        {challenge?.signUpUnavailable && !session ? (
          <p className="rl-notice">{strings.signUpUnavailable(challenge.method)}</p>
        ) : null}
      </div>
      {body}
    </section>
  )
}
