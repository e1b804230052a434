// Passkeys through the demo app in Chromium, with a virtual platform authenticator (DevTools
// protocol): registered while signed in to eu-west-1, used through us-east-1 while eu-west-1 is down,
// username-first and by autofill; deleted, then refused in both regions; cloned, then refused.
import type { StoredPasskey } from '@regionless/backend'
import { usernameForEmail } from '@regionless/client'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from './helpers/axe.js'
import { HOME, PEER, setupDemo } from './helpers/harness.js'
import { addVirtualAuthenticator, type VirtualAuthenticator } from './helpers/virtual-authenticator.js'

const demo = setupDemo()
const REFUSED = 'That passkey was not accepted'

/** The passkeys the emulator's shared store holds for `email` (what every region's sign-in checks). */
async function stored(email: string): Promise<StoredPasskey[]> {
  const res = await fetch(new URL('/_regionless/stores', demo.controlUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ store: 'passkeys', method: 'list', args: [await usernameForEmail(email)] }),
  })
  return ((await res.json()) as { result: StoredPasskey[] }).result
}

/**
 * Signs in by code on the localhost app (passkeys need a domain), then adds a passkey from the
 * prompt; the authenticator answers (presence) only for that, as a person touching it would.
 */
async function signInAndAddPasskey(page: Page, email: string, authenticator: VirtualAuthenticator) {
  await page.goto(demo.localAppUrl)
  await page.getByLabel('Email').fill(email)
  const since = Date.now()
  await page.getByRole('button', { name: 'Email me a code' }).click()
  const mail = await demo.waitForEmail(email, since, 'code')
  await page.getByLabel('Verification code').fill(mail.code!)
  await page.getByText(`Signed in as ${email}`).waitFor()
  const prompt = page.getByRole('region', { name: /add a passkey/i })
  await prompt.waitFor()
  await expectNoAxeViolations(page, 'add-a-passkey prompt')
  await authenticator.setPresence(true)
  await prompt.getByRole('button', { name: 'Add a passkey' }).click()
  await page.getByText('Passkey added. Next time, sign in with it.').waitFor()
  await authenticator.setPresence(false)
}

const signedInThrough = (page: Page) => page.getByTestId('session-region').textContent()

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('Email').waitFor()
}

/** Username-first: the email typed, then "Sign in with a passkey", and the person answers the dialog. */
async function passkeySignIn(page: Page, email: string, authenticator: VirtualAuthenticator) {
  await page.getByLabel('Email').fill(email)
  await authenticator.setPresence(true)
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await page.getByText(`Signed in as ${email}`).or(page.getByRole('alert')).first().waitFor()
  await authenticator.setPresence(false)
}

async function callApi(page: Page, region: string) {
  await page.getByRole('button', { name: `Call ${region} API` }).click()
  const output = page.getByTestId(`api-${region}`)
  await output.getByText(/apiRegion/).waitFor()
  return JSON.parse((await output.textContent()) ?? '') as { apiRegion: string; tokenRegion: string }
}

// Each test drives Chromium through several sign-ins: 5–10 s on an idle machine, budgeted for a busy one.
describe('passkeys in Chromium, through an outage of the region that registered them', () => {
  it('registered in eu-west-1, signs in through us-east-1 with eu-west-1 down, username-first and by autofill; deleted, it is refused in both regions', async () => {
    const email = 'passkey-outage@passkeys.test'
    const page = await demo.newPage()
    const authenticator = await addVirtualAuthenticator(page)
    await signInAndAddPasskey(page, email, authenticator)
    expect(await signedInThrough(page)).toBe(HOME)
    const [registered] = await stored(email)
    expect(registered).toMatchObject({ registeredRegion: HOME, counter: expect.any(Number) })
    expect((await authenticator.credentials())[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' })
    const manager = page.getByRole('region', { name: 'Passkeys' })
    await manager.getByText(registered!.name).waitFor()

    // Username-first, with the region that registered it down.
    await signOut(page)
    await demo.setFault(HOME, 'down')
    await passkeySignIn(page, email, authenticator)
    await page.getByText(`Signed in as ${email}`).waitFor()
    expect(await signedInThrough(page)).toBe(PEER)
    // A passkey sign-in is not followed by "add a passkey?".
    expect(await page.getByRole('region', { name: /add a passkey/i }).count()).toBe(0)
    for (const region of [HOME, PEER]) {
      expect(await callApi(page, region)).toMatchObject({ apiRegion: region, tokenRegion: PEER })
    }
    expect((await stored(email))[0]).toMatchObject({ lastUsedRegion: PEER })
    await manager.getByText(`(${PEER})`, { exact: false }).waitFor()
    await demo.screenshot(page, 'passkey-signed-in-through-peer')

    // Autofill (conditional mediation): the browser offers the passkey in the email field before
    // anything is typed; the person picks it (presence), and is signed in.
    await signOut(page)
    await authenticator.setPresence(true)
    await page.reload()
    await page.getByText(`Signed in as ${email}`).waitFor()
    await authenticator.setPresence(false)
    expect(await signedInThrough(page)).toBe(PEER)

    // Deleted (through a healthy region's API, eu-west-1's Cognito still down): refused in both regions.
    await manager.getByRole('button', { name: `Delete ${registered!.name}` }).click()
    await expectNoAxeViolations(page, 'passkey delete confirmation')
    await manager.getByRole('button', { name: 'Delete', exact: true }).click()
    await manager.getByText('You have no passkeys yet.').waitFor()
    expect(await stored(email)).toEqual([])
    await signOut(page)
    for (const mode of ['down', 'healthy'] as const) {
      await demo.setFault(HOME, mode)
      await page.goto(demo.localAppUrl)
      await passkeySignIn(page, email, authenticator)
      await page.getByRole('alert').getByText(REFUSED, { exact: false }).waitFor()
      expect(await page.getByText(`Signed in as ${email}`).count()).toBe(0)
    }
    await expectNoAxeViolations(page, 'passkey refused')
  }, 90_000)

  it('refuses a cloned authenticator: the same key with a counter that did not grow', async () => {
    const email = 'passkey-clone@passkeys.test'
    const page = await demo.newPage()
    const original = await addVirtualAuthenticator(page)
    await signInAndAddPasskey(page, email, original)
    const [copied] = await original.credentials()
    await signOut(page)
    await passkeySignIn(page, email, original)
    await page.getByText(`Signed in as ${email}`).waitFor()
    const counter = (await stored(email))[0]!.counter
    expect(counter).toBeGreaterThan(copied!.signCount)

    // The clone: the copied key, with the counter it had then, on another authenticator.
    await signOut(page)
    await original.remove()
    const clone = await addVirtualAuthenticator(page)
    await clone.addCredential(copied!)
    await passkeySignIn(page, email, clone)
    await page.getByRole('alert').getByText(REFUSED, { exact: false }).waitFor()
    expect(await page.getByText(`Signed in as ${email}`).count()).toBe(0)
    expect((await stored(email))[0]!.counter).toBe(counter)
  }, 60_000)
})
