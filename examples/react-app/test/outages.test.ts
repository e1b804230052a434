// Through the demo app in Chromium, what issue 13 found broken: every region
// down, a double click while sending, a pasted sentence, recovering from a
// wrong code with the keyboard alone, and a link opened in another tab.
// axe-core checks every step on the way.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from './helpers/axe.js'
import { PEER, REGIONS, setupDemo, shownOn } from './helpers/harness.js'

const demo = setupDemo()

const isFocused = (el: HTMLElement | SVGElement) => el === document.activeElement

// Each test (60 s below) drives Chromium through the demo with regions down, clicks repeated, the clipboard
// or several tabs: 6–12.5 s on an idle machine, budgeted for a busy 2-core one.
describe('sign-in through outages in Chromium', () => {
  it('every region down: a clear message, the form usable again, and a retry that succeeds once a region returns', async () => {
    const email = 'everything-down@outage.test'
    for (const region of REGIONS) await demo.setFault(region, 'down')
    const page = await demo.newPage()
    await page.goto(demo.appUrl)
    await page.getByLabel('Email').waitFor()
    await expectNoAxeViolations(page, 'email')
    await demo.ask(page, email)
    await page
      .getByRole('alert')
      .getByText(/cannot reach the sign-in service/i)
      .waitFor()
    const button = page.getByRole('button', { name: 'Email me a code' })
    expect(await button.isEnabled()).toBe(true)
    expect(await page.getByLabel('Email').isEditable()).toBe(true)
    expect(await page.getByLabel('Email').inputValue()).toBe(email)
    expect(await page.getByLabel('Verification code').count()).toBe(0)
    await expectNoAxeViolations(page, 'every region down')
    await demo.screenshot(page, 'outage-all-regions-down')

    await demo.setFault(PEER, 'healthy')
    const since = Date.now()
    await button.click()
    const mail = await demo.waitForEmail(email, since, 'code')
    expect(mail.region).toBe(PEER)
    await demo.enterCode(page, email, mail.code!)
    expect(await page.getByTestId('session-region').textContent()).toBe(PEER)
  }, 60_000)

  it('a double click (and Enter) while sending: one email, the busy state shown, no error that is not true', async () => {
    const email = 'double-click@outage.test'
    // Both regions slow: the send takes long enough that the second click and the Enter land while it runs.
    const latencyMs = 1_500
    for (const region of REGIONS) await demo.setFault(region, 'slow', { latencyMs })
    const page = await demo.newPage()
    await page.goto(demo.appUrl)
    await page.getByLabel('Email').fill(email)
    const since = Date.now()
    await page.getByRole('button', { name: 'Email me a code' }).dblclick()
    await page.getByRole('button', { name: 'Sending…' }).waitFor()
    await page.getByLabel('Email').press('Enter')
    await page.getByLabel('Verification code').waitFor()
    const mail = await demo.waitForEmail(email, since, 'code')
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await page.getByText(/too many requests/i).count()).toBe(0)
    await demo.screenshot(page, 'outage-double-click')
    for (const region of REGIONS) await demo.setFault(region, 'healthy')
    await demo.enterCode(page, email, mail.code!)
    // A request the client gave up on is still answered by a slow region, late: wait that out, then count.
    const late = await demo.inbox(
      email,
      Date.parse(mail.sentAt) + 1,
      Math.max(0, since + latencyMs + 1_000 - Date.now()),
    )
    expect(late).toEqual([])
    expect(await demo.inbox(email, since)).toHaveLength(1)
  }, 60_000)

  it.each([
    ['a sentence', (code: string) => `Your sign-in code is ${code}.`],
    ['digits in groups', (code: string) => `Your code: ${code.slice(0, 3)} ${code.slice(3)}`],
  ])(
    'signs in from a pasted text (%s) through the real clipboard',
    async (kind, text) => {
      const email = `paste-${kind.replace(/\s/g, '-')}@outage.test`
      const context = await demo.browser.newContext()
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.appUrl).origin })
      const page = await demo.newPage(context)
      const { mail } = await demo.requestCode(page, email)
      const field = page.getByLabel('Verification code')
      await field.waitFor()
      await expectNoAxeViolations(page, 'code')
      await page.evaluate((value) => navigator.clipboard.writeText(value), text(mail.code!))
      await field.focus()
      await page.keyboard.press('Control+V')
      await page.getByText(`Signed in as ${email}`).waitFor()
      await context.close()
    },
    60_000,
  )

  it('recovers from a wrong code with the keyboard alone', async () => {
    const email = 'keyboard-recovery@outage.test'
    const page = await demo.newPage()
    const { mail } = await demo.requestCode(page, email)
    const field = page.getByLabel('Verification code')
    await field.waitFor()
    expect(await field.evaluate(isFocused)).toBe(true)
    await page.keyboard.type(mail.code === '000000' ? '111111' : '000000')
    await page
      .getByRole('alert')
      .getByText(/not right/)
      .waitFor()
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await field.evaluate(isFocused)).toBe(true)
    await expectNoAxeViolations(page, 'wrong code')
    await demo.screenshot(page, 'outage-wrong-code')
    // No mouse, no Tab: typing again is all it takes.
    await page.keyboard.type(mail.code!)
    await page.getByText(`Signed in as ${email}`).waitFor()
    await expectNoAxeViolations(page, 'signed in')
  }, 60_000)

  it('a tab that asked for a link follows when another tab of the same browser opens it', async () => {
    const email = 'two-tabs@outage.test'
    const context = await demo.browser.newContext()
    const asking = await demo.newPage(context)
    const since = await demo.ask(asking, email, 'link')
    await asking.getByRole('heading', { name: 'Check your email' }).waitFor()
    await expectNoAxeViolations(asking, 'link sent')
    await demo.screenshot(asking, 'outage-link-sent')
    const mail = await demo.waitForEmail(email, since, 'link')

    const opening = await demo.newPage(context)
    await opening.goto(mail.link!)
    const signedIn = (page: Page) => page.getByText(`Signed in as ${email}`).waitFor()
    await Promise.all([signedIn(opening), signedIn(asking)]).catch(async (err) => {
      const [a, b] = [await shownOn(asking), await shownOn(opening)]
      throw new Error(`${err.message}\nthe asking tab showed:\n${a}\nthe tab that opened the link showed:\n${b}`)
    })
    await expectNoAxeViolations(asking, 'signed in (link opened in another tab)')
    await demo.screenshot(asking, 'outage-link-other-tab')
    await context.close()
  }, 60_000)
})
