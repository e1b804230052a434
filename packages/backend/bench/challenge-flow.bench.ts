// Figures, not assertions: the cost of one full sign-in through the three
// triggers with in-memory dependencies (what the emulator pays per sign-in),
// and of the individual crypto steps. Run: pnpm vitest bench --run packages/backend/bench
import { bench, describe } from 'vitest'
import { checkCode, codeMetadata } from '../src/email/email-code.js'
import { usernameForEmail } from '../src/index.js'
import { createSimulator } from '../test/helpers/cognito-simulator.js'
import { createHarness, tokenFromLink } from '../test/helpers/harness.js'

const EMAIL = 'ada@example.com'
const users = [{ username: usernameForEmail(EMAIL), email: EMAIL }]

describe('full sign-in through Define/Create/Verify (in memory)', () => {
  const h = createHarness({ minSendIntervalSeconds: 0 })
  const sim = createSimulator(h.triggers, users)

  bench('email code', async () => {
    const method = await sim.initiateAuth(EMAIL)
    if (method.kind !== 'challenge') throw new Error('no method')
    const step = await sim.respond(method.session, '__method', { method: 'code' })
    if (step.kind !== 'challenge') throw new Error('no code step')
    const done = await sim.respond(step.session, h.inbox.at(-1)?.code ?? '', { method: 'code' })
    if (done.kind !== 'tokens') throw new Error('not signed in')
  })

  bench('magic link: request, then redeem', async () => {
    const method = await sim.initiateAuth(EMAIL)
    if (method.kind !== 'challenge') throw new Error('no method')
    await sim.respond(method.session, '__method', { method: 'link', redirectUri: 'https://app.example.com/auth/' })
    const again = await sim.initiateAuth(users[0]?.username ?? '')
    if (again.kind !== 'challenge') throw new Error('no method')
    const step = await sim.respond(again.session, '__method', { method: 'link', redeem: 'true' })
    if (step.kind !== 'challenge') throw new Error('no link step')
    const done = await sim.respond(step.session, tokenFromLink(h.inbox.at(-1)?.link), { method: 'link' })
    if (done.kind !== 'tokens') throw new Error('not signed in')
  })
})

describe('crypto steps', () => {
  const metadata = codeMetadata('123456', { issuedAt: 1_768_478_400 })
  bench('code hash + constant-time check', () => {
    checkCode('123456', metadata, { now: 1_768_478_430, ttlSeconds: 180 })
  })
})
