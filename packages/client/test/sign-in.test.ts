import { describe, expect, it, vi } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import type { ChallengeState, RegionlessError } from '../src/index.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()

/**
 * Resolves once the first InitiateAuth has reached the fake Cognito. The client hashes the email
 * (WebCrypto, off the faked timers) before calling, so a test advancing fake timers waits for it.
 */
async function firstCall(cognito: ReturnType<typeof world>['cognito']) {
  while (cognito.ops('InitiateAuth').length === 0) await new Promise((resolve) => setImmediate(resolve))
}

const rejection = async (promise: Promise<unknown>) => (await rejectionOf(promise)) as RegionlessError

describe('sign-in by code', () => {
  it('sends one code from the home region and signs in with it', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const sent: ChallengeState[] = []
    client.on('codeSent', (c) => sent.push(c))
    const challenge = await client.signIn({ email: EMAIL, method: 'code' })
    expect(challenge).toMatchObject({
      method: 'code',
      region: 'eu-west-1',
      attemptsLeft: 3,
      destination: 'a***@e***.com',
    })
    expect(client.getSnapshot().status).toBe('awaiting-code')
    expect(cognito.inbox).toHaveLength(1)
    expect(sent).toHaveLength(1)
    // The username, never the email (an alias would answer differently for an unknown email), and the
    // method step carries the method in ClientMetadata, never in InitiateAuth.
    const [init] = cognito.ops('InitiateAuth')
    expect(init?.body).toMatchObject({ AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME } })
    expect(init?.body.ClientMetadata).toBeUndefined()
    const [method] = cognito.ops('RespondToAuthChallenge')
    expect(method?.body.ChallengeResponses).toEqual({ USERNAME, ANSWER: '__method' })
    expect(method?.body.ClientMetadata).toEqual({ method: 'code' })

    const session = await client.answer(cognito.lastCode()!)
    expect(session).toMatchObject({ userId: USERNAME, email: EMAIL, region: 'eu-west-1' })
    expect(client.getSession()).toEqual(session)
    expect(client.getSnapshot()).toMatchObject({ status: 'signed-in', challenge: null, error: null })
  })

  it('never sends two emails for a double click', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const [a, b] = await Promise.all([
      client.signIn({ email: EMAIL, method: 'code' }),
      client.signIn({ email: EMAIL, method: 'code' }),
    ])
    expect(a).toBe(b)
    expect(cognito.inbox).toHaveLength(1)
  })

  it('counts attempts down on wrong codes and ends after the last one', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    expect((await rejection(client.answer('000000'))).code).toBe('CODE_MISMATCH')
    expect(client.getSnapshot()).toMatchObject({ status: 'awaiting-code', challenge: { attemptsLeft: 2 } })
    expect((await rejection(client.answer('000001'))).code).toBe('CODE_MISMATCH')
    expect(client.getSnapshot().challenge?.attemptsLeft).toBe(1)
    expect((await rejection(client.answer('000002'))).code).toBe('TOO_MANY_ATTEMPTS')
    expect(client.getSnapshot()).toMatchObject({ status: 'signed-out', challenge: null })
    expect((await rejection(client.answer(cognito.lastCode()!))).code).toBe('NO_CHALLENGE')
  })

  it('looks the same for an unknown email, and sends nothing', async () => {
    const { client, cognito } = world(server)
    const challenge = await client.signIn({ email: 'nobody@example.com', method: 'code' })
    expect(challenge).toMatchObject({ method: 'code', attemptsLeft: 3 })
    expect(cognito.inbox).toHaveLength(0)
  })

  it('rejects bad input with a TypeError and sends nothing', async () => {
    const { client, cognito } = world(server)
    await expect(client.signIn({ email: 'not-an-email', method: 'code' })).rejects.toThrow(TypeError)
    await expect(client.signIn({ email: EMAIL, method: 'sms' as 'code' })).rejects.toThrow(TypeError)
    await expect(client.answer('')).rejects.toThrow(TypeError)
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('resend', () => {
  it('waits for the cool-down the state shows, then sends a new code', async () => {
    let now = 1_000_000
    const { client, cognito } = world(server, { config: { now: () => now, resendCooldownSeconds: 30 } })
    cognito.addUser(EMAIL, USERNAME)
    const first = await client.signIn({ email: EMAIL, method: 'code' })
    expect(first.resendAvailableAt).toBe(now + 30_000)
    const early = await rejection(client.resend())
    expect(early).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 })
    expect(cognito.inbox).toHaveLength(1)
    now += 30_000
    const second = await client.resend()
    expect(cognito.inbox).toHaveLength(2)
    expect(second.failover).toBeUndefined()
    await client.answer(cognito.lastCode()!)
    expect(client.getSession()?.userId).toBe(USERNAME)
  })

  it("takes the backend's RATE_LIMITED wait into the state", async () => {
    let now = 5_000_000
    const { client, cognito } = world(server, { config: { now: () => now, resendCooldownSeconds: 1 } })
    cognito.addUser(EMAIL, USERNAME)
    cognito.setMinSendInterval(60)
    await client.signIn({ email: EMAIL, method: 'code' })
    now += 2_000
    const err = await rejection(client.resend())
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 58 })
    expect(client.getSnapshot().challenge?.resendAvailableAt).toBe(now + 58_000)
    expect(client.getSnapshot().status).toBe('awaiting-code')
  })

  it('needs a sign-in first', async () => {
    const { client } = world(server)
    expect((await rejection(client.resend())).code).toBe('NO_CHALLENGE')
  })
})

describe('failover', () => {
  it('starts in the peer when home is down, without waiting', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    cognito.setFault('eu-west-1', 'down')
    const challenge = await client.signIn({ email: EMAIL, method: 'code' })
    expect(challenge.region).toBe('us-east-1')
    expect(cognito.inbox.map((m) => m.region)).toEqual(['us-east-1'])
    await client.answer(cognito.lastCode()!)
    expect(client.getSession()?.region).toBe('us-east-1')
  })

  it('restarts the challenge in the next region when the region dies between code and answer', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const changes: unknown[] = []
    client.on('regionChanged', (c) => changes.push(c))
    const sent: ChallengeState[] = []
    client.on('codeSent', (c) => sent.push(c))
    await client.signIn({ email: EMAIL, method: 'code' })
    const oldCode = cognito.lastCode()!
    cognito.setFault('eu-west-1', 'error')
    const err = await rejection(client.answer(oldCode))
    expect(err.code).toBe('CHALLENGE_MOVED')
    expect(client.getSnapshot()).toMatchObject({
      status: 'awaiting-code',
      challenge: { region: 'us-east-1', failover: { from: 'eu-west-1', to: 'us-east-1' } },
    })
    expect(sent.at(-1)?.failover).toEqual({ from: 'eu-west-1', to: 'us-east-1' })
    expect(cognito.inbox.map((m) => m.region)).toEqual(['eu-west-1', 'us-east-1'])
    expect(changes).toContainEqual({ from: 'eu-west-1', to: 'us-east-1' })
    await client.answer(cognito.lastCode()!)
    expect(client.getSession()?.region).toBe('us-east-1')
  })

  it('treats throttling as an outage signal but a wrong code not', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    cognito.setFault('eu-west-1', 'throttle')
    expect((await client.signIn({ email: EMAIL, method: 'code' })).region).toBe('us-east-1')
    await rejection(client.answer('999999'))
    expect(client.health()['us-east-1']?.failures).toBe(0)
    expect(client.health()['eu-west-1']?.failures).toBeGreaterThan(0)
  })

  it('gives a clear ALL_REGIONS_DOWN, then sends one trial every 3 s at most, so a retry works once a region is back', async () => {
    let now = 10_000_000
    const { client, cognito } = world(server, { config: { now: () => now } })
    cognito.addUser(EMAIL, USERNAME)
    cognito.setFault('eu-west-1', 'down')
    cognito.setFault('us-east-1', 'error')
    const first = await rejection(client.signIn({ email: EMAIL, method: 'code' }))
    expect(first.code).toBe('ALL_REGIONS_DOWN')
    await rejection(client.signIn({ email: EMAIL, method: 'code' }))
    // Both breakers are open now: one call goes out as a trial, to the region that reopens first…
    let before = cognito.calls.length
    const third = await rejection(client.signIn({ email: EMAIL, method: 'code' }))
    expect(third).toMatchObject({ code: 'ALL_REGIONS_DOWN' })
    expect(third.retryAfterSeconds).toBeGreaterThan(0)
    expect(cognito.calls.length).toBe(before + 1)
    // …and within the next 3 s nothing does, however often the button is pressed.
    before = cognito.calls.length
    for (let i = 0; i < 10; i++) await rejection(client.signIn({ email: EMAIL, method: 'code' }))
    expect(cognito.calls.length).toBe(before)
    expect(client.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'ALL_REGIONS_DOWN' } })
    // The region is back before its cool-down is over: the next trial finds it.
    cognito.setFault('eu-west-1', 'healthy')
    now += 3_000
    expect((await client.signIn({ email: EMAIL, method: 'code' })).region).toBe('eu-west-1')
  })

  it('hedges the first call when home does not answer, and sends only one email', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { client, cognito } = world(server, { config: { hedgeDelayMs: 300, timeoutMs: 5_000 } })
      cognito.addUser(EMAIL, USERNAME)
      cognito.setFault('eu-west-1', 'hang')
      const pending = client.signIn({ email: EMAIL, method: 'code' })
      await firstCall(cognito)
      await vi.advanceTimersByTimeAsync(300)
      const challenge = await pending
      expect(challenge.region).toBe('us-east-1')
      expect(cognito.inbox).toHaveLength(1)
      expect(cognito.ops('InitiateAuth').map((c) => c.region)).toEqual(['eu-west-1', 'us-east-1'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('gives traffic back to home after a background probe finds it healthy again', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    cognito.setFault('eu-west-1', 'down')
    expect((await client.signIn({ email: EMAIL, method: 'code' })).region).toBe('us-east-1')
    cognito.setFault('eu-west-1', 'healthy')
    const back = new Promise((resolve) => client.on('regionChanged', resolve))
    // This sign-in still goes to the peer; home gets a probe (GetUser) on the side.
    expect((await client.signIn({ email: EMAIL, method: 'code' })).region).toBe('us-east-1')
    expect(await back).toEqual({ from: 'us-east-1', to: 'eu-west-1' })
    expect(cognito.ops('GetUser', 'eu-west-1')).toHaveLength(1)
  })

  it('keeps health across a reload, so a dead home is skipped at once', async () => {
    const { cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    cognito.setFault('eu-west-1', 'hang')
    const first = make({ timeoutMs: 50, hedgeDelayMs: 10_000 })
    expect((await first.signIn({ email: EMAIL, method: 'code' })).region).toBe('us-east-1')
    const callsBefore = cognito.ops('InitiateAuth', 'eu-west-1').length
    const reloaded = make({ timeoutMs: 50, hedgeDelayMs: 10_000 })
    expect((await reloaded.signIn({ email: EMAIL, method: 'code' })).region).toBe('us-east-1')
    expect(cognito.ops('InitiateAuth', 'eu-west-1').length).toBe(callsBefore)
  })
})

describe('a sign-in in progress across a reload', () => {
  it('comes back on the code step with the same countdown, and the code still works', async () => {
    let now = 2_000_000
    const { client, cognito, make } = world(server, { config: { now: () => now } })
    cognito.addUser(EMAIL, USERNAME)
    const sent = await client.signIn({ email: EMAIL, method: 'code' })
    client.destroy()
    now += 10_000
    const reloaded = make() // same storage: the page was reloaded
    await reloaded.ready()
    expect(reloaded.getSnapshot()).toMatchObject({
      status: 'awaiting-code',
      challenge: { email: EMAIL, region: 'eu-west-1', resendAvailableAt: sent.resendAvailableAt },
    })
    expect(cognito.inbox).toHaveLength(1) // no second email
    await expect(reloaded.resend()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 20 })
    await reloaded.answer(cognito.lastCode()!)
    expect(reloaded.getSession()?.userId).toBe(USERNAME)
    // Signed in: nothing is left to restore.
    const again = make()
    await again.ready()
    expect(again.getSnapshot().challenge).toBeNull()
  })

  it('is forgotten after cancel, and after Cognito’s longest challenge lifetime', async () => {
    let now = 3_000_000
    const { client, cognito, make } = world(server, { config: { now: () => now } })
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'code' })
    client.cancel()
    const afterCancel = make()
    await afterCancel.ready()
    expect(afterCancel.getSnapshot()).toMatchObject({ status: 'signed-out', challenge: null })

    await afterCancel.signIn({ email: EMAIL, method: 'code' })
    now += 15 * 60_000
    const tooLate = make()
    await tooLate.ready()
    expect(tooLate.getSnapshot()).toMatchObject({ status: 'signed-out', challenge: null })
  })
})
