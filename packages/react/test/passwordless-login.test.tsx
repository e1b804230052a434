// @vitest-environment jsdom
import { RegionlessError } from '@regionless/client'
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { button, codeField, emailField, heading, noAxeViolations, sendFor, setup } from './helpers/render-login.js'

afterEach(cleanup)

describe('<PasswordlessLogin/> sending', () => {
  it('asks for the email, refuses a malformed one, and sends nothing', async () => {
    const { calls } = setup({ methods: ['code'] })
    await sendFor('not-an-email', 'Continue')
    expect(screen.getByRole('alert').textContent).toMatch(/Enter an email address/)
    expect(emailField().getAttribute('aria-invalid')).toBe('true')
    expect(calls).toEqual([])
  })

  it.each([
    ['auto', true],
    ['sign-up', true],
    ['sign-in', false],
  ] as const)(
    'mode %s: one click is one signIn call with createAccount: %s, and no signUp',
    async (mode, createAccount) => {
      const { calls } = setup({ mode })
      await sendFor('ada@example.com')
      expect(calls).toEqual([['signIn', { email: 'ada@example.com', method: 'code', createAccount }]])
      expect(codeField()).toBeTruthy()
    },
  )

  it('leaves the link target to the client (one meaning of "the current page") unless given one', async () => {
    const { calls } = setup()
    await sendFor('ada@example.com', 'Email me a link')
    expect(calls).toEqual([['signIn', { email: 'ada@example.com', method: 'link', createAccount: true }]])
  })

  it('is busy from the click on, before the client says anything', async () => {
    const fake = setup()
    const release = fake.hold()
    fireEvent.change(emailField(), { target: { value: 'ada@example.com' } })
    fireEvent.click(button('Email me a code'))
    // The fake has not even started (it waits a tick, like the real client).
    expect(fake.client.getSnapshot().status).toBe('signed-out')
    expect(button('Sending…').disabled).toBe(true)
    expect(button('Email me a link').disabled).toBe(true)
    expect(emailField().readOnly).toBe(true)
    await waitFor(() => expect(fake.client.getSnapshot().status).toBe('sending'))
    expect(button('Sending…').disabled).toBe(true)
    await act(async () => release())
    expect(await screen.findByLabelText('Verification code')).toBeTruthy()
  })

  it('treats a bare sign-up running elsewhere (status signing-up) as busy', () => {
    setup({}, { status: 'signing-up' })
    expect(button('Email me a code').disabled).toBe(true)
    expect(button('Email me a link').disabled).toBe(true)
  })

  it('every region down: says so with the wait, gives the form back, and a retry works', async () => {
    const fake = setup()
    fake.failNext(new RegionlessError('ALL_REGIONS_DOWN', 'down', { retryAfterSeconds: 30 }))
    await sendFor('ada@example.com')
    expect(screen.getByRole('alert').textContent).toBe(
      'We cannot reach the sign-in service right now. Please try again in 30 s.',
    )
    expect(button('Email me a code').disabled).toBe(false)
    expect(emailField().readOnly).toBe(false)
    expect(emailField().value).toBe('ada@example.com')
    expect(document.activeElement).toBe(emailField())
    await noAxeViolations(fake.view.container)
    await act(async () => fireEvent.click(button('Email me a code')))
    expect(fake.calls.filter(([name]) => name === 'signIn')).toHaveLength(2)
    expect(codeField()).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('shows the plain outage message when the client does not know the wait', async () => {
    const fake = setup()
    fake.failNext(new RegionlessError('ALL_REGIONS_DOWN', 'down'))
    await sendFor('ada@example.com')
    expect(screen.getByRole('alert').textContent).toMatch(/cannot reach the sign-in service.*in a minute/)
  })

  it('still shows an error the client threw without putting it in its state', async () => {
    const fake = setup()
    fake.failNext(new TypeError('redirectUri must be an http(s) URL'), { inState: false })
    await sendFor('ada@example.com')
    expect(fake.client.getSnapshot().error).toBeNull()
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong. Please try again.')
    expect(button('Email me a code').disabled).toBe(false)
  })

  it('forgets an error of the way in once signed in, so a sign-out starts clean', async () => {
    const fake = setup()
    await sendFor('ada@example.com', 'Email me a link')
    act(() => fake.set({ challenge: { ...fake.client.getSnapshot().challenge!, resendAvailableAt: Date.now() - 1 } }))
    fake.failNext(new Error('network glitch'), { inState: false })
    await act(async () => fireEvent.click(button('Send a new link')))
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong. Please try again.')
    // Another tab opened the link, then the user signs out.
    act(() => fake.set({ session: fake.session }))
    expect(heading().textContent).toBe('Signed in as ada@example.com')
    act(() => fake.set({ status: 'signed-out', session: null, challenge: null }))
    expect(heading().textContent).toBe('Sign in')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('a double click sends once and shows no error beside the resend countdown', async () => {
    const fake = setup()
    fireEvent.change(emailField(), { target: { value: 'ada@example.com' } })
    // Both clicks land before React re-renders the disabled buttons.
    await act(async () => {
      fireEvent.click(button('Email me a code'))
      fireEvent.click(button('Email me a code'))
    })
    expect(fake.calls.filter(([name]) => name === 'signIn')).toHaveLength(1)
    expect(button(/new code in \d+ s/).disabled).toBe(true)
    expect(screen.queryByRole('alert')).toBeNull()
    // A send throttle the countdown already shows is not repeated as an error…
    act(() => fake.set({ error: new RegionlessError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 29 }) }))
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.queryByText(/Too many requests/)).toBeNull()
  })

  it('shows a rate limit where no countdown says it (the email step)', () => {
    setup({}, { error: new RegionlessError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 29 }) })
    expect(screen.getByRole('alert').textContent).toBe('Too many requests. Try again in 29 s.')
  })

  it('says a lock-out lifts in minutes and that a link still works', () => {
    setup({}, { error: new RegionlessError('LOCKED_OUT', 'too many wrong codes', { retryAfterSeconds: 3_541 }) })
    expect(screen.getByRole('alert').textContent).toBe(
      'Too many wrong codes. Sign in with a link, or try a code again in 60 min.',
    )
    expect(button('Email me a link').disabled).toBe(false)
  })
})

describe('<PasswordlessLogin/> code and link steps', () => {
  it('shows the typed address with "Use another email" as its edit action', async () => {
    const fake = setup()
    await sendFor('ana@example.com')
    expect(screen.getByText('We sent a code to ana@example.com')).toBeTruthy()
    expect(screen.queryByText(/\*\*\*/)).toBeNull()
    await act(async () => fireEvent.click(button('Use another email')))
    expect(fake.calls.at(-1)?.[0]).toBe('cancel')
    expect(emailField().value).toBe('ana@example.com')
  })

  it('falls back to the masked address when the email is unknown', () => {
    const { challenge } = setup()
    cleanup()
    setup({}, { status: 'awaiting-code', challenge: challenge({ email: '' }) })
    expect(screen.getByText('We sent a code to a***@e***.com')).toBeTruthy()
  })

  it('link step: its own heading and wording, "link" not "code"', async () => {
    const fake = setup()
    await sendFor('ada@example.com', 'Email me a link')
    expect(heading().textContent).toBe('Check your email')
    expect(screen.getByText(/We sent a sign-in link to ada@example.com/)).toBeTruthy()
    expect(button(/^You can ask for a new link in \d+ s$/).disabled).toBe(true)
    expect(screen.queryByText(/code/i)).toBeNull()
    act(() => fake.set({ challenge: { ...fake.client.getSnapshot().challenge!, resendAvailableAt: Date.now() - 1 } }))
    await act(async () => fireEvent.click(button('Send a new link')))
    expect(fake.calls.at(-1)?.[0]).toBe('resend')
    await noAxeViolations(fake.view.container)
  })

  it('says, without telling who has an account, that sign-up is unavailable', async () => {
    const fake = setup()
    fake.setSignUpUnavailable(true)
    await sendFor('ada@example.com')
    expect(
      screen.getByText("New accounts can't be created right now. If you already have an account, we sent you a code."),
    ).toBeTruthy()
    expect(codeField()).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
    await noAxeViolations(fake.view.container)
  })

  it('no sign-up notice when accounts were not asked for', async () => {
    const fake = setup({ mode: 'sign-in' })
    fake.setSignUpUnavailable(true)
    await sendFor('ada@example.com')
    expect(screen.queryByText(/New accounts/)).toBeNull()
  })

  it('shows the resend countdown and a calm failover notice, not an error', () => {
    const { set, challenge } = setup()
    act(() =>
      set({
        status: 'awaiting-code',
        challenge: challenge({
          failover: { from: 'eu-west-1', to: 'us-east-1' },
          resendAvailableAt: Date.now() + 20_000,
        }),
        error: new RegionlessError('CHALLENGE_MOVED', 'moved'),
      }),
    )
    expect(screen.getByText(/new code from another region \(us-east-1\)/)).toBeTruthy()
    expect(button(/new code in \d+ s/).disabled).toBe(true)
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('follows a session that appears while it waits for the link (another tab opened it)', async () => {
    const fake = setup()
    await sendFor('ada@example.com', 'Email me a link')
    // The other tab's sign-in reaches this tab's store; the challenge may still be set.
    act(() => fake.set({ session: fake.session }))
    expect(heading().textContent).toBe('Signed in as ada@example.com')
    expect(screen.queryByText('Check your email')).toBeNull()
    expect(document.activeElement).toBe(heading())
  })

  it('shows a session even while completing a link', async () => {
    location.hash = '#regionless-link=abc'
    try {
      const fake = setup()
      const release = fake.hold()
      await waitFor(() => expect(fake.calls).toEqual([['completeMagicLink', null]]))
      expect(await screen.findByText('Signing you in…')).toBeTruthy()
      act(() => fake.set({ session: fake.session }))
      expect(heading().textContent).toBe('Signed in as ada@example.com')
      await act(async () => release())
    } finally {
      location.hash = ''
    }
  })

  it('uses replaced strings and can render unstyled', () => {
    const { view } = setup({ unstyled: true, strings: { title: 'Anmelden', emailLabel: 'E-Mail' } })
    expect(screen.getByRole('heading', { name: 'Anmelden' })).toBeTruthy()
    expect(screen.getByLabelText('E-Mail')).toBeTruthy()
    expect(view.container.querySelector('style')).toBeNull()
  })
})
