// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import axe from 'axe-core'
import { afterEach, describe, expect, it } from 'vitest'
import { PasswordlessLogin } from '../src/passwordless-login.js'
import { RegionlessProvider } from '../src/provider.js'
import { fakeClient } from './fake-client.js'

afterEach(cleanup)

function setup(props: Parameters<typeof PasswordlessLogin>[0] = {}, initial = {}) {
  const fake = fakeClient(initial)
  const view = render(
    <RegionlessProvider client={fake.client}>
      <PasswordlessLogin {...props} />
    </RegionlessProvider>,
  )
  return { ...fake, view }
}

async function noAxeViolations(container: HTMLElement) {
  // color-contrast needs layout, which jsdom has not; the browser tests cover it.
  const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
  expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([])
}

describe('<PasswordlessLogin/>', () => {
  it('asks for the email, refuses a malformed one, and sends nothing', async () => {
    const { calls } = setup({ methods: ['code'] })
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'not-an-email' } })
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Continue' })))
    expect(screen.getByRole('alert').textContent).toMatch(/Enter an email address/)
    expect(calls).toEqual([])
  })

  it('signs up (existing user is fine), sends a code, accepts a pasted code and submits on the last digit', async () => {
    const { calls, view } = setup()
    await noAxeViolations(view.container)
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Email me a code' })))
    expect(calls.map((c) => c[0])).toEqual(['signUp', 'signIn'])
    expect(screen.getByText(/We sent a code to a\*\*\*@e\*\*\*.com/)).toBeTruthy()
    const input = screen.getByLabelText('Verification code') as HTMLInputElement
    expect(input.getAttribute('autocomplete')).toBe('one-time-code')
    await noAxeViolations(view.container)
    await act(async () => fireEvent.change(input, { target: { value: 'Code: 123 456' } }))
    expect(calls.at(-1)).toEqual(['answer', '123456'])
    expect(screen.getByText('Signed in as ada@example.com')).toBeTruthy()
  })

  it('shows a wrong code, attempts left, and lets the user try again', async () => {
    const { view } = setup({ mode: 'sign-in' })
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Email me a code' })))
    await act(async () => fireEvent.change(screen.getByLabelText('Verification code'), { target: { value: '000000' } }))
    expect(screen.getByRole('alert').textContent).toMatch(/not right/)
    expect(screen.getByText('2 attempts left')).toBeTruthy()
    await noAxeViolations(view.container)
  })

  it('shows the resend countdown and a calm failover message', async () => {
    const { set, challenge } = setup()
    act(() =>
      set({
        status: 'awaiting-code',
        challenge: challenge({
          failover: { from: 'eu-west-1', to: 'us-east-1' },
          resendAvailableAt: Date.now() + 20_000,
        }),
      }),
    )
    expect(screen.getByText(/new code from another region \(us-east-1\)/)).toBeTruthy()
    const resend = screen.getByRole('button', { name: /new code in \d+ s/ }) as HTMLButtonElement
    expect(resend.disabled).toBe(true)
  })

  it('shows "check your email" for links and goes back to the email step on request', async () => {
    const { calls } = setup({ methods: ['link'] })
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Continue' })))
    expect(screen.getByText('Check your email')).toBeTruthy()
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Use another email' })))
    expect(calls.at(-1)?.[0]).toBe('cancel')
    expect(screen.getByLabelText('Email')).toBeTruthy()
  })

  it('uses replaced strings and can render unstyled', () => {
    const { view } = setup({ unstyled: true, strings: { title: 'Anmelden', emailLabel: 'E-Mail' } })
    expect(screen.getByRole('heading', { name: 'Anmelden' })).toBeTruthy()
    expect(screen.getByLabelText('E-Mail')).toBeTruthy()
    expect(view.container.querySelector('style')).toBeNull()
  })

  it('shows the failover notice, not an error, when the sign-in moved to another region', () => {
    const { set, challenge } = setup()
    act(() =>
      set({
        status: 'awaiting-code',
        challenge: challenge({ failover: { from: 'eu-west-1', to: 'us-east-1' } }),
        error: Object.assign(new Error('moved'), { name: 'RegionlessError', code: 'CHALLENGE_MOVED' }) as never,
      }),
    )
    expect(screen.getByText(/new code from another region/)).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('has its own message for all regions down', () => {
    setup({}, { error: Object.assign(new Error('down'), { name: 'RegionlessError', code: 'ALL_REGIONS_DOWN' }) })
    expect(screen.getByRole('alert').textContent).toMatch(/cannot reach the sign-in service/)
  })
})
