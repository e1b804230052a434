// @vitest-environment jsdom
import { RegionlessError } from '@regionless/client'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { Passkeys, PasswordlessLogin, type PasswordlessLoginProps, RegionlessProvider } from '../src/index.js'
import type { PromptMemory } from '../src/passkey-prompt.js'
import { fakeClient } from './helpers/fake-client.js'
import { button, codeField, emailField, noAxeViolations, sendFor } from './helpers/render-login.js'

afterEach(cleanup)

const memoryOf = (map = new Map<string, string>()): PromptMemory & { map: Map<string, string> } => ({
  map,
  getItem: (key) => map.get(key) ?? null,
  setItem: (key, value) => void map.set(key, value),
})

function login(props: PasswordlessLoginProps = {}, { passkeys = true } = {}) {
  const fake = fakeClient({}, { passkeys })
  const memory = memoryOf()
  const tree = (p: PasswordlessLoginProps) => (
    <RegionlessProvider client={fake.client}>
      <PasswordlessLogin passkeyPromptMemory={memory} {...p} />
    </RegionlessProvider>
  )
  const view = render(tree(props))
  return { ...fake, memory, view, tree }
}

const passkeyButton = () => screen.queryByRole('button', { name: 'Sign in with a passkey' })

async function signInWithCode() {
  await sendFor('ada@example.com')
  await act(async () => fireEvent.change(codeField(), { target: { value: '123456' } }))
  await screen.findByRole('heading', { name: /Signed in as/ })
}

describe('<PasswordlessLogin/> with passkeys', () => {
  it('shows the passkey button when the client has the plugin and the browser WebAuthn; the field offers passkeys', async () => {
    const { view } = login()
    expect(passkeyButton()).not.toBeNull()
    expect(emailField().getAttribute('autocomplete')).toBe('username webauthn')
    await noAxeViolations(view.container)
  })

  it('hides it without the plugin or WebAuthn (passkeysAvailable false), when turned off, and on the server', () => {
    login({}, { passkeys: false })
    expect(passkeyButton()).toBeNull()
    cleanup()
    login({ passkeys: false })
    expect(passkeyButton()).toBeNull()
    const fake = fakeClient({}, { passkeys: true })
    const html = renderToString(
      <RegionlessProvider client={fake.client}>
        <PasswordlessLogin />
      </RegionlessProvider>,
    )
    expect(html).toContain('Email me a code')
    expect(html).not.toContain('Sign in with a passkey')
  })

  it('starts autofill on mount, aborts it on unmount; none without passkeys', async () => {
    const fake = login()
    await waitFor(() => expect(fake.autofills).toHaveLength(1))
    expect(fake.autofills[0]!.signal?.aborted).toBe(false)
    fake.view.unmount()
    expect(fake.autofills[0]!.signal?.aborted).toBe(true)
    cleanup()
    const without = login({}, { passkeys: false })
    await act(async () => {})
    expect(without.autofills).toHaveLength(0)
  })

  it('a passkey picked in autofill signs in, with no add-a-passkey prompt', async () => {
    const fake = login()
    await waitFor(() => expect(fake.autofills).toHaveLength(1))
    await act(async () => fake.autofills[0]!.choose())
    expect(await screen.findByRole('heading', { name: 'Signed in as ada@example.com' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).toBeNull()
  })

  it('the button signs in username-first, after aborting the autofill wait; no prompt after it', async () => {
    const fake = login()
    await waitFor(() => expect(fake.autofills).toHaveLength(1))
    fireEvent.change(emailField(), { target: { value: 'ada@example.com' } })
    await act(async () => fireEvent.click(passkeyButton()!))
    expect(fake.autofills[0]!.signal?.aborted).toBe(true)
    expect(fake.calls).toContainEqual(['signIn', { email: 'ada@example.com', method: 'passkey' }])
    expect(await screen.findByRole('heading', { name: 'Signed in as ada@example.com' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).toBeNull()
  })

  it('the button asks for a valid email first; a dismissed dialog says so and autofill starts again', async () => {
    const fake = login()
    await act(async () => fireEvent.click(passkeyButton()!))
    expect(screen.getByRole('alert').textContent).toMatch(/Enter an email address/)
    fireEvent.change(emailField(), { target: { value: 'ada@example.com' } })
    fake.failNextPasskeyCall(new RegionlessError('PASSKEY_CANCELLED', 'closed'))
    await act(async () => fireEvent.click(passkeyButton()!))
    expect((await screen.findByRole('alert')).textContent).toMatch(/passkey request was cancelled/)
    await waitFor(() => expect(fake.autofills.filter((a) => !a.signal?.aborted)).toHaveLength(1))
  })

  it('offers to add a passkey after a code sign-in; "Not now" is remembered for that user', async () => {
    const fake = login()
    await signInWithCode()
    expect(screen.getByText(/add a passkey \(your fingerprint/)).toBeTruthy()
    await noAxeViolations(fake.view.container)
    await act(async () => fireEvent.click(button('Not now')))
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).toBeNull()
    expect(fake.memory.map.get('regionless.passkey-prompt.u_1')).toBe('dismissed')
    expect(fake.calls.some(([name]) => name === 'addPasskey')).toBe(false)

    // Signed out and in again with a code: not asked again.
    cleanup()
    const again = fakeClient({}, { passkeys: true })
    render(
      <RegionlessProvider client={again.client}>
        <PasswordlessLogin passkeyPromptMemory={fake.memory} />
      </RegionlessProvider>,
    )
    await signInWithCode()
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).toBeNull()
  })

  it('"Add a passkey" registers one and says so', async () => {
    const fake = login()
    await signInWithCode()
    await act(async () => fireEvent.click(button('Add a passkey')))
    expect(fake.calls).toContainEqual(['addPasskey', null])
    expect((await screen.findByRole('status')).textContent).toMatch(/Passkey added/)
    expect(fake.memory.map.get('regionless.passkey-prompt.u_1')).toBe('added')
  })

  it('a failed registration shows its message and keeps the prompt', async () => {
    const fake = login()
    await signInWithCode()
    fake.failNextPasskeyCall(new RegionlessError('PASSKEY_CANCELLED', 'closed'))
    await act(async () => fireEvent.click(button('Add a passkey')))
    expect((await screen.findByRole('alert')).textContent).toMatch(/cancelled/)
    expect(button('Add a passkey')).toBeTruthy()
  })
})

describe('<Passkeys/>', () => {
  function manager() {
    const fake = fakeClient({ status: 'signed-in' }, { passkeys: true })
    fake.setPasskeys([
      ['p1', 'Laptop', ['2026-02-03T10:00:00Z', 'us-east-1']],
      ['p2', 'Phone'],
    ])
    fake.set({ session: fake.session })
    const view = render(
      <RegionlessProvider client={fake.client}>
        <Passkeys strings={{ formatDate: (iso) => iso.slice(0, 10) }} />
      </RegionlessProvider>,
    )
    return { ...fake, view }
  }

  it('lists each passkey with when it was added and last used, and where; axe-clean', async () => {
    const { view } = manager()
    const items = await screen.findAllByRole('listitem')
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/Laptop.*Added 2026-01-02.*Last used 2026-02-03 \(us-east-1\)/),
      expect.stringMatching(/Phone.*Added 2026-01-02.*Never used/),
    ])
    await noAxeViolations(view.container)
  })

  it('renames in place: focus into the field, then back on the rename button', async () => {
    const fake = manager()
    const rename = await screen.findByRole('button', { name: 'Rename Laptop' })
    await act(async () => fireEvent.click(rename))
    const field = screen.getByLabelText('Passkey name') as HTMLInputElement
    expect(document.activeElement).toBe(field)
    await noAxeViolations(fake.view.container)
    fireEvent.change(field, { target: { value: 'Work laptop' } })
    await act(async () => fireEvent.click(button('Save')))
    expect(fake.calls).toContainEqual(['renamePasskey', ['p1', 'Work laptop']])
    const renamed = await screen.findByRole('button', { name: 'Rename Work laptop' })
    expect(document.activeElement).toBe(renamed)
  })

  it('deletes after a confirmation; cancel keeps it; a failure is shown', async () => {
    const fake = manager()
    const remove = await screen.findByRole('button', { name: 'Delete Phone' })
    await act(async () => fireEvent.click(remove))
    expect(screen.getByRole('group', { name: /Delete “Phone”\?/ })).toBeTruthy()
    expect(document.activeElement?.textContent).toBe('Delete')
    await noAxeViolations(fake.view.container)
    await act(async () => fireEvent.click(button('Cancel')))
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete Phone' }))
    expect(fake.calls.some(([name]) => name === 'deletePasskey')).toBe(false)

    await act(async () => fireEvent.click(button('Delete Phone')))
    await act(async () => fireEvent.click(button('Delete')))
    expect(fake.calls).toContainEqual(['deletePasskey', 'p2'])
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1))
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Passkeys' }))

    fake.failNextPasskeyCall(new RegionlessError('PASSKEY_NOT_FOUND', 'gone'))
    await act(async () => fireEvent.click(button('Delete Laptop')))
    await act(async () => fireEvent.click(button('Delete')))
    expect((await screen.findByRole('alert')).textContent).toBe('That passkey no longer exists.')
  })

  it('renders on the server without the add button (support is known after mount only)', () => {
    const fake = fakeClient({ status: 'signed-in' }, { passkeys: true })
    const html = renderToString(
      <RegionlessProvider client={fake.client}>
        <Passkeys />
      </RegionlessProvider>,
    )
    expect(html).toContain('Passkeys')
    expect(html).not.toContain('Add a passkey')
    expect(html).not.toContain('not available')
  })

  it('says passkeys are unavailable (and offers no add) without the plugin or WebAuthn', async () => {
    const fake = fakeClient({ status: 'signed-in' }, { passkeys: false })
    fake.set({ session: fake.session })
    render(
      <RegionlessProvider client={fake.client}>
        <Passkeys />
      </RegionlessProvider>,
    )
    expect(await screen.findByText('Passkeys are not available in this browser.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).toBeNull()
  })

  it('adds a passkey to the top of the list', async () => {
    const fake = manager()
    await screen.findAllByRole('listitem')
    await act(async () => fireEvent.click(button('Add a passkey')))
    expect(fake.calls).toContainEqual(['addPasskey', {}])
    await waitFor(() => expect(screen.getAllByRole('listitem')[0]?.textContent).toMatch(/New passkey/))
  })
})
