import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../../test/helpers/rejection.js'
import { isRegionlessError, type RegionlessError } from '../../src/index.js'
import {
  freshEmail,
  type Mode,
  REGIONS,
  signInByCode,
  signUpEverywhere,
  startWorld,
  type World,
} from '../helpers/emulator-world.js'

const [HOME, PEER] = REGIONS as [string, string]

const rejection = async (promise: Promise<unknown>) => (await rejectionOf(promise)) as RegionlessError

describe.each(['pools', 'replicas'] as const)('against the emulator (%s)', (topology) => {
  let world: World
  beforeAll(async () => {
    world = await startWorld(topology)
  })
  afterAll(() => world.close())
  afterEach(async () => {
    for (const region of REGIONS) await world.fault(region, 'healthy')
  })

  const newUser = async () => {
    const email = freshEmail()
    if (topology === 'pools') await signUpEverywhere(world, email)
    else await world.client({ storageKey: `signup-${email}` }).signUp({ email })
    return email
  }

  it('signs up and signs in with a code; tokens carry the real issuer and the stable user id', async () => {
    const email = await newUser()
    const client = world.client({ storageKey: `a-${email}` })
    const session = await signInByCode(client, world, email)
    expect(session.userId).toMatch(/^u_[0-9a-f]{32}$/)
    expect(session.region).toBe(HOME)
    const claims = JSON.parse(Buffer.from(session.tokens.idToken.split('.')[1]!, 'base64url').toString())
    expect(claims['cognito:username']).toBe(session.userId)
    expect(claims.iss).toBe(world.emu.config.regions[0]!.issuer)
  })

  it('signs in with a magic link, and the link works on another device', async () => {
    const email = await newUser()
    const client = world.client({ storageKey: `l-${email}` })
    await client.signIn({ email, method: 'link', redirectUri: 'http://127.0.0.1:5173/done' })
    const link = world.lastMail(email).link!
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:5173\/done#regionless-link=/)
    const otherDevice = world.client({ storageKey: `l2-${email}` })
    const session = await otherDevice.completeMagicLink(link)
    expect(session?.email).toBe(email)
    await expect(client.completeMagicLink(link)).rejects.toMatchObject({ code: 'LINK_INVALID' })
  })

  it('counts wrong codes down and ends the challenge after the third', async () => {
    const email = await newUser()
    const client = world.client({ storageKey: `w-${email}` })
    await client.signIn({ email, method: 'code' })
    const right = world.lastMail(email).code!
    const wrong = right === '000000' ? '111111' : '000000'
    expect((await rejection(client.answer(wrong))).code).toBe('CODE_MISMATCH')
    expect(client.getSnapshot().challenge?.attemptsLeft).toBe(2)
    expect((await client.answer(right)).email).toBe(email)

    // A second user: the backend allows one send per user every 30 s.
    const other = await newUser()
    const again = world.client({ storageKey: `w2-${other}` })
    await again.signIn({ email: other, method: 'code' })
    await rejection(again.answer(wrong))
    await rejection(again.answer(wrong))
    expect((await rejection(again.answer(wrong))).code).toBe('TOO_MANY_ATTEMPTS')
    expect(again.getSnapshot().challenge).toBeNull()
  })

  it('answers an unknown email like a known one, and sends nothing', async () => {
    const email = freshEmail()
    const client = world.client({ storageKey: `u-${email}` })
    const challenge = await client.signIn({ email, method: 'code' })
    expect(challenge).toMatchObject({ method: 'code', region: HOME })
    expect(world.mails(email)).toBe(0)
    expect((await rejection(client.answer('123456'))).code).toMatch(/CODE_MISMATCH|NOT_AUTHORIZED/)
  })

  it('surfaces the backend send throttle on resend as RATE_LIMITED with the wait', async () => {
    const email = await newUser()
    let skewMs = 0
    const client = world.client({ storageKey: `rs-${email}`, now: () => Date.now() + skewMs })
    await client.signIn({ email, method: 'code' })
    skewMs = 30_000 // past the client's own cool-down; the backend's clock has not moved
    // The backend's minimum interval between sends (30 s by default) refuses it:
    // the wait is in the error and in the state, and nothing was sent.
    const err = await rejection(client.resend())
    expect(err).toMatchObject({ code: 'RATE_LIMITED' })
    expect(err.retryAfterSeconds).toBeGreaterThan(20)
    expect(client.getSnapshot().challenge!.resendAvailableAt).toBeGreaterThan(Date.now() + skewMs + 20_000)
    expect(client.getSnapshot().status).toBe('awaiting-code')
    expect(world.mails(email)).toBe(1)
  })

  it.each(['down', 'blackhole', 'error', 'throttle'] as Mode[])(
    'signs in through the peer when home is %s before sign-in',
    async (mode) => {
      const email = await newUser()
      await world.fault(HOME, mode)
      const client = world.client({ storageKey: `f-${mode}-${email}` })
      const session = await signInByCode(client, world, email)
      expect(session.region).toBe(PEER)
      expect(world.mails(email)).toBe(1)
    },
  )

  it.each(['down', 'blackhole', 'error', 'throttle'] as Mode[])(
    'restarts in the peer when home turns %s between the code and the answer',
    async (mode) => {
      const email = await newUser()
      const client = world.client({ storageKey: `m-${mode}-${email}` })
      await client.signIn({ email, method: 'code' })
      const oldCode = world.lastMail(email).code!
      await world.fault(HOME, mode)
      const err = await rejection(client.answer(oldCode))
      expect(err.code).toBe('CHALLENGE_MOVED')
      expect(client.getSnapshot().challenge?.failover).toEqual({ from: HOME, to: PEER })
      const fresh = world.lastMail(email)
      expect(fresh.region).toBe(PEER)
      const session = await client.answer(fresh.code!)
      expect(session.region).toBe(PEER)
      expect(world.mails(email)).toBe(2)
    },
  )

  it('keeps signing in while home flaps (half of its requests fail)', async () => {
    const emails = [await newUser(), await newUser(), await newUser(), await newUser()]
    await world.fault(HOME, 'error', { rate: 0.5 })
    for (const email of emails) {
      const client = world.client({ storageKey: `flap-${email}` })
      const session = await signInByCode(client, world, email).catch(async (err) => {
        // A failover mid sign-in is the designed outcome: answer the new code.
        if (isRegionlessError(err) && err.code === 'CHALLENGE_MOVED') return client.answer(world.lastMail(email).code!)
        throw err
      })
      expect(session.userId).toMatch(/^u_/)
    }
  })

  it('all regions down: a clear ALL_REGIONS_DOWN, then at most one trial request however often it is retried', async () => {
    const email = await newUser()
    let requests = 0
    const client = world.client({
      storageKey: `down-${email}`,
      fetch: (input, init) => {
        requests++
        return fetch(input, init)
      },
    })
    await world.fault(HOME, 'down')
    await world.fault(PEER, 'error')
    const first = await rejection(client.signIn({ email, method: 'code' }))
    expect(first.code).toBe('ALL_REGIONS_DOWN')
    await rejection(client.signIn({ email, method: 'code' }))
    const before = requests
    for (let i = 0; i < 20; i++) {
      const err = await rejection(client.signIn({ email, method: 'code' }))
      expect(err.code).toBe('ALL_REGIONS_DOWN')
      expect(err.retryAfterSeconds).toBeGreaterThan(0)
    }
    // One trial (InitiateAuth in the region that reopens first) within 3 s; the 20 retries share it.
    expect(requests - before).toBeLessThanOrEqual(1)
  })

  if (topology === 'replicas') {
    it('sign-up needs the primary: PRIMARY_UNAVAILABLE while it is down, sign-in still works', async () => {
      const email = await newUser()
      await world.fault(HOME, 'down')
      const client = world.client({ storageKey: `p-${email}` })
      await expect(client.signUp({ email: freshEmail() })).rejects.toMatchObject({ code: 'PRIMARY_UNAVAILABLE' })
      const session = await signInByCode(client, world, email)
      expect(session.region).toBe(PEER)
    })
  }
})
