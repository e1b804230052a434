import { fireEvent, within } from '@testing-library/dom'
import { JSDOM, VirtualConsole } from 'jsdom'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PasswordlessLoginProps } from '../src/index.js'
import { loadWithReact18 } from './helpers/react18/load.js'

// The peer range starts at React 18.2; every other test runs on React 19. Here
// the provider, hooks and <PasswordlessLogin/> run on React 18 itself: bundled
// with it (see react18/load.ts) into a JSDOM window of this file's own, and
// driven through React 18's createRoot and act.
type React18 = typeof import('./helpers/react18/dom-entry.js')
let r18: React18
let inputs: string[]

// React 18 reports act, key and hydration problems with console.error, and
// jsdom reports errors thrown in the window as jsdomError.
const problems: unknown[][] = []
const virtualConsole = new VirtualConsole()
for (const method of ['error', 'warn'] as const) virtualConsole.on(method, (...args: unknown[]) => problems.push(args))
virtualConsole.on('jsdomError', (error) => problems.push([error]))
const { window } = new JSDOM('<!doctype html><body></body>', {
  url: 'https://app.example.com/',
  runScripts: 'outside-only',
  virtualConsole,
})
const { document } = window
const screen = within(document.body)

beforeAll(async () => {
  // What browsers have and jsdom lacks, taken from Node.
  Object.assign(window, { TextEncoder, TextDecoder, MessageChannel, IS_REACT_ACT_ENVIRONMENT: true })
  ;({ exports: r18, inputs } = await loadWithReact18<React18>('./dom-entry.ts', 'browser', window))
})

let unmount: (() => void) | undefined
afterEach(() => {
  unmount?.()
  unmount = undefined
  document.body.innerHTML = ''
  expect(problems.splice(0)).toEqual([])
})

function setup(props: PasswordlessLoginProps = {}) {
  const fake = r18.fakeClient()
  const container = document.body.appendChild(document.createElement('div'))
  const root = r18.createRoot(container)
  r18.act(() => root.render(app(fake.client, props)))
  unmount = () => r18.act(() => root.unmount())
  return fake
}

function app(client: ReturnType<React18['fakeClient']>['client'], props: PasswordlessLoginProps = {}) {
  return r18.createElement(r18.RegionlessProvider, { client }, r18.createElement(r18.PasswordlessLogin, props))
}

// Events inside React 18's act, as @testing-library/react does for the React it renders with.
async function type(label: string, value: string) {
  await r18.act(async () => {
    fireEvent.change(screen.getByLabelText(label), { target: { value } })
  })
}
async function click(name: string) {
  await r18.act(async () => {
    fireEvent.click(screen.getByRole('button', { name }))
  })
}

describe('@regionless/react on React 18', () => {
  it('is bundled with React 18.2 and no other React', () => {
    expect(r18.version).toBe('18.2.0')
    const reacts = inputs.filter((file) => /node_modules\/react(-dom)?\//.test(file))
    expect(reacts.some((file) => file.endsWith('react-dom.development.js'))).toBe(true)
    expect(reacts.filter((file) => !file.includes('@18.2.0'))).toEqual([])
    expect(inputs).toContain('packages/react/src/passwordless-login.tsx')
  })

  it('signs in with a code, then shows the email step again when the client signs out', async () => {
    const { calls, set } = setup()
    await type('Email', 'ada@example.com')
    await click('Email me a code')
    expect(calls).toEqual([['signIn', { email: 'ada@example.com', method: 'code', createAccount: true }]])
    expect(screen.getByText('We sent a code to ada@example.com')).toBeTruthy()
    expect(document.activeElement).toBe(screen.getByLabelText('Verification code'))
    await type('Verification code', 'Your sign-in code is 123456.')
    expect(calls.at(-1)).toEqual(['answer', '123456'])
    expect(screen.getByRole('heading').textContent).toBe('Signed in as ada@example.com')
    expect(document.activeElement).toBe(screen.getByRole('heading'))

    // A sign-out elsewhere (another tab, a failed refresh) reaches the UI
    // through subscribe/getSnapshot alone.
    r18.act(() => set({ status: 'signed-out', session: null }))
    expect(screen.queryByText(/Signed in as/)).toBeNull()
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('ada@example.com')
    expect(document.activeElement).toBe(screen.getByLabelText('Email'))
  })

  it('refuses a malformed email and sends nothing', async () => {
    const { calls } = setup({ methods: ['code'] })
    await type('Email', 'not-an-email')
    await click('Continue')
    expect(screen.getByRole('alert').textContent).toMatch(/Enter an email address/)
    expect(calls).toEqual([])
  })

  it('shows a wrong code and the attempts left, clears the field and keeps focus in it', async () => {
    const { calls } = setup({ mode: 'sign-in' })
    await type('Email', 'ada@example.com')
    await click('Email me a code')
    expect(calls[0]).toEqual(['signIn', { email: 'ada@example.com', method: 'code', createAccount: false }])
    await type('Verification code', '000000')
    const field = screen.getByLabelText('Verification code') as HTMLInputElement
    expect(screen.getByRole('alert').textContent).toMatch(/not right/)
    expect(screen.getByText('2 attempts left')).toBeTruthy()
    expect(field.value).toBe('')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(field)
  })

  it('is busy from the click on, and one click is one call', async () => {
    const fake = setup()
    const release = fake.hold()
    await type('Email', 'ada@example.com')
    r18.act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Email me a code' }))
      fireEvent.click(screen.getByRole('button', { name: 'Email me a code' }))
    })
    expect((screen.getByRole('button', { name: 'Sending…' }) as HTMLButtonElement).disabled).toBe(true)
    await r18.act(async () => release())
    expect(fake.calls.map((c) => c[0])).toEqual(['signIn'])
    expect(screen.getByRole('heading').textContent).toBe('Enter your code')
  })

  it('renders a failover and the resend countdown pushed by the store', () => {
    const { set, challenge } = setup()
    r18.act(() =>
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

  it('hydrates its own server markup without a mismatch', async () => {
    const { client, calls } = r18.fakeClient()
    const container = document.body.appendChild(document.createElement('div'))
    container.innerHTML = r18.renderToString(app(client))
    const server = container.innerHTML
    const email = container.querySelector('input')
    let root!: ReturnType<React18['hydrateRoot']>
    r18.act(() => {
      root = r18.hydrateRoot(container, app(client))
    })
    unmount = () => r18.act(() => root.unmount())
    // useId must agree between server and client: a mismatch is a console.error
    // (checked after each test) and a client re-render that replaces the nodes.
    expect(container.innerHTML).toBe(server)
    expect(container.querySelector('input')).toBe(email)
    await type('Email', 'ada@example.com')
    await click('Email me a code')
    expect(calls.map((c) => c[0])).toEqual(['signIn'])
  })
})
