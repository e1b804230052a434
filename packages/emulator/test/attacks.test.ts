import { usernameForEmail } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator } from '../src/index.js'
import {
  answer,
  cognito,
  freshEmail,
  inbox,
  signInWithCode,
  signUp,
  startSignIn,
  type Wire,
} from './helpers/protocol.js'

// The attacks of the security review (issue 16, items 1 to 3) against the emulator, through the protocol.

const initiate = (region: RunningEmulator['config']['regions'][number], login: string) =>
  cognito(region.endpoint, 'InitiateAuth', {
    ClientId: region.clientId,
    AuthFlow: 'CUSTOM_AUTH',
    AuthParameters: { USERNAME: login },
  })

/** What a probe shows once the per-probe username is taken out. */
const shape = (body: Wire, login: string) =>
  JSON.stringify({ ...body, Session: typeof body.Session }).replaceAll(login, '<login>')

describe('the emulator, attacked', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        triggers: { minSendIntervalSeconds: 0, sendBudget: 3, maxWrongCodes: 6 },
        globalTableLagMs: 0,
      },
    })
  })
  afterAll(() => emulator?.close())
  const [eu, us] = [() => emulator.config.regions[0]!, () => emulator.config.regions[1]!]

  it('answers InitiateAuth alike for a known and an unknown user, by email or by username (item 1)', async () => {
    const known = freshEmail('known')
    const unknown = freshEmail('unknown')
    await signUp(eu(), known)
    for (const login of [(e: string) => e, usernameForEmail]) {
      const a = await initiate(eu(), login(known))
      const b = await initiate(eu(), login(unknown))
      expect(a.status).toBe(b.status)
      expect(shape(a.body, login(known))).toBe(shape(b.body, login(unknown)))
      const stepA = await answer(eu(), a.body, '__method', { method: 'link', redeem: 'true' })
      const stepB = await answer(eu(), b.body, '__method', { method: 'link', redeem: 'true' })
      expect(shape(stepA.body, login(known))).toBe(shape(stepB.body, login(unknown)))
    }
  })

  it('mails sign-in codes only to a verified address: a pending change reaches nobody (item 2)', async () => {
    const attacker = freshEmail('attacker')
    const victim = freshEmail('victim')
    await signUp(eu(), attacker)
    const tokens = await signInWithCode(emulator, eu(), attacker)
    const change = await cognito(eu().endpoint, 'UpdateUserAttributes', {
      AccessToken: tokens.AccessToken,
      UserAttributes: [{ Name: 'email', Value: victim }],
    })
    expect(change.status).toBe(200)
    const user = await cognito(eu().endpoint, 'GetUser', { AccessToken: tokens.AccessToken })
    expect(user.body.UserAttributes).toContainEqual({ Name: 'email', Value: attacker })
    await startSignIn(eu(), usernameForEmail(attacker), { method: 'code' })
    const toVictim = await inbox(emulator, victim)
    expect(toVictim.map((m) => m.kind)).toEqual(['verification']) // Cognito's own verification email, no sign-in code
    expect((await inbox(emulator, attacker)).map((m) => m.kind)).toEqual(['code', 'code'])
  })

  it('holds one budget per mailbox over plus-addresses and regions (item 2)', async () => {
    const base = freshEmail('mailbox')
    const variants = [1, 2, 3, 4].map((n) => base.replace('@', `+${n}@`))
    // No replication here: each region gets its own sign-up, as replication would make.
    for (const email of variants) for (const region of [eu(), us()]) await signUp(region, email)
    const answers = []
    for (const [i, email] of variants.entries()) {
      const region = i % 2 ? us() : eu()
      const init = await initiate(region, usernameForEmail(email))
      answers.push(await answer(region, init.body, '__method', { method: 'code' }))
    }
    const mails = (await inbox(emulator)).filter((m) => variants.includes(m.to) && m.kind === 'code')
    expect(mails).toHaveLength(3)
    expect(answers.at(-1)?.body.message).toMatch(/RATE_LIMITED: .*retryAfterSeconds=\d+/)
  })

  it('locks code sign-in after the wrong-code budget, counted over sign-ins and regions (item 3)', async () => {
    const email = freshEmail('guessed')
    await signUp(eu(), email)
    for (const region of [eu(), us()]) {
      let challenge = await startSignIn(region, email, { method: 'code' })
      for (let attempt = 0; attempt < 3; attempt++) {
        const res = await answer(region, challenge, '000000', { method: 'code' })
        if (!res.body.Session) break
        challenge = res.body
      }
    }
    const init = await initiate(eu(), usernameForEmail(email))
    const locked = await answer(eu(), init.body, '__method', { method: 'code' })
    expect(locked.body.__type).toBe('UserLambdaValidationException')
    expect(locked.body.message).toMatch(/^CreateAuthChallenge failed with error LOCKED_OUT: .*retryAfterSeconds=\d+/)
  })
})

describe('the budgets table replicates with lag, as a global table does (item 3)', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    // A lag longer than the test: the second region has not seen the first region's send.
    emulator = await startEmulator({ config: { globalTableLagMs: 60_000 } })
  })
  afterAll(() => emulator?.close())

  it('lets each region send once inside the lag: the window docs/security.md states', async () => {
    const [eu, us] = emulator.config.regions as [never, never]
    const email = freshEmail('lag')
    await signUp(eu, email)
    await signUp(us, email)
    await startSignIn(eu, email, { method: 'code' })
    await startSignIn(us, email, { method: 'code' })
    const init = await initiate(us, usernameForEmail(email))
    const again = await answer(us, init.body, '__method', { method: 'code' })
    expect(again.body.message).toMatch(/RATE_LIMITED/)
    expect(await inbox(emulator, email)).toHaveLength(2)
  })
})
