import { describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from './helpers/axe.js'
import { REGIONS, setupDemo } from './helpers/harness.js'

const demo = setupDemo()

// Each test drives Chromium through a sign-in with a region down or going down (time-outs, a second
// code): 5–7.5 s on an idle machine, budgeted for a busy 2-core one.
describe('failover in Chromium', { timeout: 45_000 }, () => {
  it('signs in through us-east-1 when the home region is down before sign-in', async () => {
    await demo.setFault('eu-west-1', 'down')
    const page = await demo.newPage()
    await demo.signIn(page, 'before@example.com')
    expect(await page.getByTestId('session-region').textContent()).toBe('us-east-1')
    await demo.screenshot(page, 'failover-before-sign-in')
  })

  it('moves a sign-in to the other region when the home region goes down after the code was sent', async () => {
    const email = 'during@example.com'
    const page = await demo.newPage()
    const { mail: first } = await demo.requestCode(page, email)
    expect(first.region).toBe('eu-west-1')

    await demo.setFault('eu-west-1', 'down')
    const movedAt = Date.now()
    await page.getByLabel('Verification code').fill(first.code!)
    // The client restarts the challenge in us-east-1 and the UI says so.
    await page.getByText(/new code from another region/).waitFor()
    await expectNoAxeViolations(page, 'failover notice')
    await demo.screenshot(page, 'failover-during-sign-in')
    const second = await demo.waitForEmail(email, movedAt, 'code')
    expect(second.region).toBe('us-east-1')
    await page.getByLabel('Verification code').fill(second.code!)
    await page.getByText(`Signed in as ${email}`).waitFor()
    expect(await page.getByTestId('session-region').textContent()).toBe('us-east-1')
  })

  it('calls both regions’ APIs while one region is down', async () => {
    const email = 'api@example.com'
    const page = await demo.newPage()
    await demo.signIn(page, email)
    await demo.setFault('eu-west-1', 'down')
    for (const region of REGIONS) {
      await page.getByRole('button', { name: `Call ${region} API` }).click()
      const output = page.getByTestId(`api-${region}`)
      await output.getByText(/"apiRegion"/).waitFor()
      const answer = JSON.parse((await output.textContent()) ?? '{}')
      expect(answer).toMatchObject({ apiRegion: region })
      expect(answer.userId).toBe(await page.getByTestId('user-id').textContent())
    }
    await demo.screenshot(page, 'api-calls-region-down')
  })
})
