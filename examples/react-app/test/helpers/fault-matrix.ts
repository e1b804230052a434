// The fault matrix of issue 13 through the demo app in Chromium: with the home
// region (replicas: the primary) in each fault mode, a new user and an
// existing user, each on a fresh page (nothing remembered), click "Email me a
// code", reach the code field and sign in; every click sends exactly one
// email. Durations are the bench's business (bench/failover), not asserted here.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from './axe.js'
import { type Demo, type FaultMode, HOME, PEER, setupDemo, shownOn, type Topology } from './harness.js'

const SLOW_MS = 3_000
const FAULTS: Array<{ name: string; mode: FaultMode; latencyMs?: number; rate?: number }> = [
  { name: 'down', mode: 'down' },
  { name: 'blackhole', mode: 'blackhole' },
  { name: 'slow', mode: 'slow', latencyMs: SLOW_MS },
  { name: 'error', mode: 'error' },
  { name: 'throttle', mode: 'throttle' },
  { name: 'flapping', mode: 'error', rate: 0.5 },
]

/** Replicas: only the primary creates accounts; while it refuses, hangs or fails every request, a new user is told so. */
const signUpOut = (topology: Topology, fault: string) =>
  topology === 'replicas' && ['down', 'blackhole', 'error', 'throttle'].includes(fault)

export const SIGN_UP_UNAVAILABLE = /accounts can(no|['’])t be created right now/i

interface Click {
  email: string
  since: number
  /** Emails this click may have caused: 1, plus 1 for a failover mid sign-in (announced), 0 when sign-up is unavailable. */
  expected: number
}

// One person's way through the fault, on a fresh page: the code field, then signed in (or the notice).
async function throughFault(demo: Demo, page: Page, email: string, noticeOnly: boolean): Promise<Click> {
  const since = await demo.ask(page, email)
  try {
    await page.getByLabel('Verification code').waitFor()
    if (noticeOnly) {
      await page.getByText(SIGN_UP_UNAVAILABLE).waitFor()
      return { email, since, expected: 0 }
    }
    const mail = await demo.waitForEmail(email, since, 'code')
    const failovers = await demo.enterCode(page, email, mail.code!)
    return { email, since, expected: 1 + failovers }
  } catch (err) {
    // Say what the person saw: the failure alone does not tell which side is wrong.
    throw new Error(`${email}: ${(err as Error).message}\nthe page showed:\n${await shownOn(page)}`, { cause: err })
  }
}

// Exactly the emails the click should cause; a slow region's late answers are waited for first.
async function expectEmails(demo: Demo, click: Click, lateUntil: number) {
  const sent = await demo.inbox(click.email, click.since)
  expect(sent, `emails to ${click.email}`).toHaveLength(click.expected)
  const after = sent.length ? Date.parse(sent[0]!.sentAt) + 1 : click.since
  const late = await demo.inbox(click.email, after, Math.max(0, lateUntil - Date.now()))
  expect(late, `late emails to ${click.email}`).toEqual([])
}

/** The whole matrix for one topology, in its own demo: one file per topology, so a run can split them across workers. */
export function describeFaultMatrix(topology: Topology) {
  const demo = setupDemo({ topology })
  const existing = (fault: string) => `x.${fault}.${topology}@matrix.test`
  const fresh = (fault: string) => `n.${fault}.${topology}@matrix.test`
  // Existing users were created (and replicated) while every region was healthy.
  beforeAll(() => demo.createUsers(FAULTS.map((f) => existing(f.name))), 30_000)

  describe(`fault matrix, ${topology}, home region ${HOME}${topology === 'replicas' ? ' (primary)' : ''}`, () => {
    it.each(FAULTS)(
      'home $name: a new and an existing user reach the code field and sign in, one email per click',
      async ({ name, mode, latencyMs, rate }) => {
        await demo.setFault(HOME, mode, { latencyMs, rate })
        const [oldPage, newPage] = await Promise.all([demo.newPage(), demo.newPage()])
        const noticeOnly = signUpOut(topology, name)
        const clicks = await Promise.all([
          throughFault(demo, oldPage, existing(name), false),
          throughFault(demo, newPage, fresh(name), noticeOnly),
        ])
        // A region that never answers (or refuses) cannot have signed anyone in.
        if (name === 'down' || name === 'blackhole') {
          expect(await oldPage.getByTestId('session-region').textContent()).toBe(PEER)
        }
        if (noticeOnly) {
          await expectNoAxeViolations(newPage, `sign-up unavailable notice (${topology}, ${name})`)
          expect(await newPage.getByText(/Signed in as/).count()).toBe(0)
        }
        await demo.screenshot(oldPage, `matrix-${topology}-${name}-existing`)
        await demo.screenshot(newPage, `matrix-${topology}-${name}-new`)
        // A slow region answers the requests the client gave up on after its latency: any late email shows by then.
        const lateUntil = Math.max(...clicks.map((c) => c.since)) + (name === 'slow' ? SLOW_MS + 1_000 : 0)
        for (const click of clicks) await expectEmails(demo, click, lateUntil)
        await Promise.all([oldPage.context().close(), newPage.context().close()])
      },
      // Two browsers through one faulted home region, then a wait for late emails: up to 21 s idle (slow).
      105_000,
    )
  })
}
