import { describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from './helpers/axe.js'
import { REGIONS, setupDemo } from './helpers/harness.js'

const demo = setupDemo()

// Budgets for a busy 2-core machine: each test drives Chromium through the demo (emulator, two APIs and
// Vite in this process), 4.5–6 s on an idle machine; the link and the tabs tests more, see below.
describe('sign-in in Chromium', { timeout: 30_000 }, () => {
  it('signs in with a code read from the inbox, every step accessible', async () => {
    const email = 'ada@example.com'
    const page = await demo.newPage()
    await page.goto(demo.appUrl)
    await page.getByLabel('Email').waitFor()
    await expectNoAxeViolations(page, 'email')
    await demo.screenshot(page, 'code-1-email')
    await page.getByLabel('Email').fill(email)
    const since = Date.now()
    await page.getByRole('button', { name: 'Email me a code' }).click()
    const mail = await demo.waitForEmail(email, since, 'code')
    await page.getByLabel('Verification code').waitFor()
    await expectNoAxeViolations(page, 'code')
    await demo.screenshot(page, 'code-2-sent')
    await page.getByLabel('Verification code').fill(mail.code!)
    await page.getByText(`Signed in as ${email}`).waitFor()
    await expectNoAxeViolations(page, 'signed in')
    await demo.screenshot(page, 'code-3-signed-in')
    expect(await page.getByTestId('session-region').textContent()).toBe('eu-west-1')
    expect(await page.getByTestId('user-id').textContent()).toMatch(/^u_[0-9a-f]{32}$/)
  })

  it('deletes the account from every region after a confirmation, and says so', async () => {
    const email = 'leaving@example.com'
    const page = await demo.newPage()
    await demo.signIn(page, email)
    const userId = await page.getByTestId('user-id').textContent()
    const usernamesIn = async (region: string) =>
      (
        (await (await fetch(`${demo.controlUrl}/_regionless/users?region=${region}`)).json()) as { username: string }[]
      ).map((u) => u.username)
    // The copy in the other region comes by replication, which a busy machine may delay past the sign-in.
    for (const region of REGIONS) await expect.poll(() => usernamesIn(region), { timeout: 15_000 }).toContain(userId)
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await page.getByRole('button', { name: 'Keep it' }).waitFor()
    await expectNoAxeViolations(page, 'confirm deletion')
    await demo.screenshot(page, 'delete-1-confirm')
    await page.getByRole('button', { name: 'Delete it' }).click()
    await page.getByRole('status').getByText('Your account was deleted from every region.').waitFor()
    await page.getByLabel('Email').waitFor()
    await expectNoAxeViolations(page, 'deleted')
    await demo.screenshot(page, 'delete-2-done')
    for (const region of REGIONS) expect(await usernamesIn(region)).not.toContain(userId)
  })

  it('rejects a wrong code with its own message, then accepts the right one', async () => {
    const email = 'grace@example.com'
    const page = await demo.newPage()
    const { mail } = await demo.requestCode(page, email)
    const wrong = mail.code === '000000' ? '111111' : '000000'
    await page.getByLabel('Verification code').fill(wrong)
    await page
      .getByRole('alert')
      .getByText(/not right/)
      .waitFor()
    expect(await page.getByText('2 attempts left').isVisible()).toBe(true)
    await expectNoAxeViolations(page, 'wrong code')
    await demo.screenshot(page, 'wrong-code')
    await page.getByLabel('Verification code').fill(mail.code!)
    await page.getByText(`Signed in as ${email}`).waitFor()
  })

  it('keeps the code step and its resend countdown across a reload, without a second email', async () => {
    const email = 'reload@example.com'
    const page = await demo.newPage()
    const { mail, since } = await demo.requestCode(page, email)
    await page.getByRole('button', { name: /new code in \d+ s/ }).waitFor()
    await page.reload()
    const countdown = page.getByRole('button', { name: /new code in \d+ s/ })
    await countdown.waitFor()
    expect(await countdown.isDisabled()).toBe(true)
    await demo.screenshot(page, 'reload-countdown')
    const query = new URLSearchParams({ to: email, since: String(since) })
    const sent = (await (await fetch(`${demo.controlUrl}/_regionless/inbox?${query}`)).json()) as unknown[]
    expect(sent).toHaveLength(1)
    await page.getByLabel('Verification code').fill(mail.code!)
    await page.getByText(`Signed in as ${email}`).waitFor()
  })

  it('signs in with the keyboard alone', async () => {
    const email = 'kb@example.com'
    const page = await demo.newPage()
    await page.goto(demo.appUrl)
    await page.getByLabel('Email').waitFor()
    // Tab from the top of the page to the email field: nothing before it traps focus.
    await page.locator('body').focus()
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab')
      if (await page.getByLabel('Email').evaluate((el) => el === document.activeElement)) break
    }
    expect(await page.getByLabel('Email').evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type(email)
    const since = Date.now()
    await page.keyboard.press('Enter') // the form's first button: a code
    const mail = await demo.waitForEmail(email, since, 'code')
    // The code field takes focus when it appears; typing the last digit submits.
    await page.getByLabel('Verification code').waitFor()
    expect(await page.getByLabel('Verification code').evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type(mail.code!)
    await page.getByText(`Signed in as ${email}`).waitFor()
    await demo.screenshot(page, 'keyboard-signed-in')
  })

  it('signs in from a magic link opened on another device, once', async () => {
    const email = 'linus@example.com'
    const phone = await demo.newPage()
    await phone.goto(demo.appUrl)
    await phone.getByLabel('Email').fill(email)
    const since = Date.now()
    await phone.getByRole('button', { name: 'Email me a link' }).click()
    await phone.getByText('Check your email').waitFor()
    await expectNoAxeViolations(phone, 'link sent')
    await demo.screenshot(phone, 'link-1-sent')
    const mail = await demo.waitForEmail(email, since, 'link')
    expect(mail.link).toContain('#regionless-link=')

    // Another device: a separate browser context shares no storage with the first.
    const laptop = await demo.newPage(await demo.browser.newContext())
    await laptop.goto(mail.link!)
    await laptop.getByText(`Signed in as ${email}`).waitFor()
    await demo.screenshot(laptop, 'link-2-signed-in-elsewhere')
    expect(laptop.url()).not.toContain('regionless-link')

    // The same link a second time is refused.
    const third = await demo.newPage(await demo.browser.newContext())
    await third.goto(mail.link!)
    await third.getByRole('alert').waitFor()
    expect(await third.getByRole('alert').textContent()).toMatch(/link/i)
    await demo.screenshot(third, 'link-3-reused')
  }, 60_000) // three browser contexts, two link redemptions, axe: ~12 s idle

  it('signs out in every tab', async () => {
    const email = 'tabs@example.com'
    const context = await demo.browser.newContext()
    const first = await demo.newPage(context)
    await demo.signIn(first, email)

    const second = await demo.newPage(context)
    await second.goto(demo.appUrl)
    await second.getByText(`Signed in as ${email}`).waitFor()
    await first.getByRole('button', { name: 'Sign out' }).click()
    await second.getByLabel('Email').waitFor()
    await demo.screenshot(second, 'signed-out-other-tab')
  }, 45_000) // a sign-in by code, a second tab's load, a sign-out heard across tabs: ~6.5 s idle
})
