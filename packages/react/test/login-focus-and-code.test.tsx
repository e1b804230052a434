// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import {
  button,
  codeField,
  description,
  emailField,
  heading,
  noAxeViolations,
  sendFor,
  setup,
} from './helpers/render-login.js'

afterEach(cleanup)

const paste = (field: HTMLElement, text: string) =>
  act(async () => {
    fireEvent.paste(field, { clipboardData: { getData: (type: string) => (type === 'text' ? text : '') } })
  })

describe('<PasswordlessLogin/> code entry', () => {
  it.each([
    'Your sign-in code is 189237.',
    'Your code: 189 237',
    '189-237',
    'Call 0800 555 if this was not you. Your code is 189237, valid 3 minutes.',
  ])('a pasted %j is the code 189237, submitted at once', async (text) => {
    const fake = setup()
    fake.setRightCode('189237')
    await sendFor('ada@example.com')
    expect(codeField().hasAttribute('maxlength')).toBe(false)
    await paste(codeField(), text)
    expect(fake.calls.filter(([name]) => name === 'answer')).toEqual([['answer', '189237']])
    expect(heading().textContent).toBe('Signed in as ada@example.com')
  })

  it('keeps the digits of a long text that arrives as a change (autofill, drop)', async () => {
    const fake = setup()
    await sendFor('ada@example.com')
    await act(async () => fireEvent.change(codeField(), { target: { value: 'Your sign-in code is 123456.' } }))
    expect(fake.calls.at(-1)).toEqual(['answer', '123456'])
  })

  it('types digit by digit and submits on the last one', async () => {
    const fake = setup()
    await sendFor('ada@example.com')
    for (const value of ['1', '12', '123', '1234', '12345']) fireEvent.change(codeField(), { target: { value } })
    expect(codeField().value).toBe('12345')
    expect(fake.calls.some(([name]) => name === 'answer')).toBe(false)
    await act(async () => fireEvent.change(codeField(), { target: { value: '123456' } }))
    expect(fake.calls.at(-1)).toEqual(['answer', '123456'])
  })

  it('keeps focus in the field while verifying: read-only, never disabled', async () => {
    const fake = setup()
    await sendFor('ada@example.com')
    const release = fake.hold()
    codeField().focus()
    fireEvent.change(codeField(), { target: { value: '123456' } })
    await waitFor(() => expect(fake.client.getSnapshot().status).toBe('verifying'))
    expect(codeField().disabled).toBe(false)
    expect(codeField().readOnly).toBe(true)
    expect(codeField().getAttribute('aria-busy')).toBe('true')
    expect(document.activeElement).toBe(codeField())
    expect(button('Verifying…').disabled).toBe(true)
    await act(async () => release())
    expect(heading().textContent).toBe('Signed in as ada@example.com')
  })

  it('after a wrong code: field cleared, focused, invalid, the error and attempts tied to it; typing again works', async () => {
    const fake = setup({ mode: 'sign-in' })
    await sendFor('ada@example.com')
    // Submitted with the button: focus is on the button, which is disabled while verifying.
    fireEvent.change(codeField(), { target: { value: '00000' } })
    button('Verify').focus()
    await act(async () => {
      fireEvent.change(codeField(), { target: { value: '000000' } })
    })
    const field = codeField()
    expect(field.value).toBe('')
    expect(document.activeElement).toBe(field)
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByRole('alert').textContent).toMatch(/not right/)
    expect(description(field)).toMatch(/That code is not right.*2 attempts left/)
    expect(screen.getByText('2 attempts left')).toBeTruthy()
    await noAxeViolations(fake.view.container)
    // A second wrong code clears the field again.
    await act(async () => fireEvent.change(field, { target: { value: '111111' } }))
    expect(field.value).toBe('')
    expect(screen.getByText('1 attempt left')).toBeTruthy()
    await act(async () => fireEvent.change(field, { target: { value: '123456' } }))
    expect(heading().textContent).toBe('Signed in as ada@example.com')
  })
})

describe('<PasswordlessLogin/> focus and headings', () => {
  it('one heading per step, and focus on each step’s field or heading', async () => {
    const fake = setup()
    const headings = () => screen.getAllByRole('heading').map((h) => h.textContent)
    expect(headings()).toEqual(['Sign in'])
    // Not on mount: the page decides where focus starts.
    expect(document.activeElement).toBe(document.body)
    await noAxeViolations(fake.view.container)

    await sendFor('ada@example.com')
    expect(headings()).toEqual(['Enter your code'])
    expect(document.activeElement).toBe(codeField())
    await noAxeViolations(fake.view.container)

    await act(async () => fireEvent.click(button('Use another email')))
    expect(headings()).toEqual(['Sign in'])
    expect(document.activeElement).toBe(emailField())

    await act(async () => fireEvent.click(button('Email me a link')))
    expect(headings()).toEqual(['Check your email'])
    expect(document.activeElement).toBe(heading())
    expect(heading().tabIndex).toBe(-1)

    await act(async () => fireEvent.click(button('Use another email')))
    await sendFor('ada@example.com')
    await act(async () => fireEvent.change(codeField(), { target: { value: '123456' } }))
    expect(headings()).toEqual(['Signed in as ada@example.com'])
    expect(document.activeElement).toBe(heading())
    await noAxeViolations(fake.view.container)

    // Signed out (here or in another tab): back to the email field.
    act(() => fake.set({ status: 'signed-out', session: null }))
    expect(headings()).toEqual(['Sign in'])
    expect(document.activeElement).toBe(emailField())
  })

  it('focuses the code field when it mounts on the code step (a reload)', () => {
    const { challenge } = setup()
    cleanup()
    setup({}, { status: 'awaiting-code', challenge: challenge() })
    expect(document.activeElement).toBe(codeField())
  })

  it('leaves focus alone when the user is elsewhere on the page', async () => {
    const outside = document.body.appendChild(document.createElement('input'))
    try {
      const fake = setup()
      await sendFor('ada@example.com', 'Email me a link')
      outside.focus()
      act(() => fake.set({ session: fake.session }))
      expect(heading().textContent).toBe('Signed in as ada@example.com')
      expect(document.activeElement).toBe(outside)
    } finally {
      outside.remove()
    }
  })

  it('ties the email error to the email field', async () => {
    setup()
    await sendFor('ada@', 'Email me a code')
    expect(emailField().getAttribute('aria-invalid')).toBe('true')
    expect(description(emailField())).toMatch(/Enter an email address/)
  })
})
