import { describe, expect, it } from 'vitest'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { createSimulator, type SimResult, type SimSession } from './helpers/cognito-simulator.js'
import { PEER_POOL_ID } from './helpers/events.js'
import { createHarness, tokenFromLink } from './helpers/harness.js'

const EMAIL = 'ada@example.com'
const USERNAME = usernameForEmail(EMAIL)
const users = [{ username: USERNAME, email: EMAIL }]

function challenge(result: SimResult): { parameters: Record<string, string>; session: SimSession } {
  if (result.kind !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(result)}`)
  return result
}

async function startCode(sim: ReturnType<typeof createSimulator>, typed = EMAIL) {
  const method = challenge(await sim.initiateAuth(typed))
  expect(method.parameters).toEqual({ USERNAME: expect.any(String), step: 'method' })
  return challenge(await sim.respond(method.session, '__method', { method: 'code' }))
}

function wrongCode(code: string): string {
  return code === '000000' ? '000001' : '000000'
}

describe('sign-in with an email code through the Cognito loop', () => {
  it('sends one email with a 6-digit code and issues tokens for the right code', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    const method = challenge(await sim.initiateAuth(EMAIL))
    expect(h.inbox).toHaveLength(0) // the method step sends nothing
    const code = challenge(await sim.respond(method.session, '__method', { method: 'code' }))
    expect(code.parameters).toEqual({ USERNAME: expect.any(String), step: 'code', attemptsLeft: '3' })
    expect(h.inbox).toHaveLength(1)
    const sent = h.inbox[0]
    expect(sent?.to).toBe(EMAIL)
    expect(sent?.kind).toBe('code')
    expect(sent?.code).toMatch(/^\d{6}$/)
    expect(sent?.text).toContain(sent?.code)
    expect(sent?.html).toContain(sent?.code)
    // The code never travels in the clear through Cognito's session.
    expect(code.session.metadata).not.toContain(sent?.code)
    expect(JSON.stringify(code.session.privateParameters)).not.toContain(sent?.code)
    expect(await sim.respond(code.session, sent?.code ?? '', { method: 'code' })).toEqual({
      kind: 'tokens',
      username: USERNAME,
    })
  })

  it('keeps the same code after a wrong answer and counts attempts down', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    const first = await startCode(sim)
    const code = h.inbox[0]?.code ?? ''
    const second = challenge(await sim.respond(first.session, wrongCode(code), { method: 'code' }))
    expect(second.parameters.attemptsLeft).toBe('2')
    const third = challenge(await sim.respond(second.session, wrongCode(code), { method: 'code' }))
    expect(third.parameters.attemptsLeft).toBe('1')
    expect(h.inbox).toHaveLength(1) // no new email for a retry
    expect(await sim.respond(third.session, code, { method: 'code' })).toEqual({ kind: 'tokens', username: USERNAME })
  })

  it('fails the sign-in on the third wrong code, so a fourth attempt never happens', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    let session = (await startCode(sim)).session
    const code = h.inbox[0]?.code ?? ''
    for (let i = 0; i < 2; i++)
      session = challenge(await sim.respond(session, wrongCode(code), { method: 'code' })).session
    const third = await sim.respond(session, wrongCode(code), { method: 'code' })
    expect(third).toMatchObject({ kind: 'error', type: 'NotAuthorizedException' })
    // Even the right code in a replayed (used) session does nothing.
    expect(await sim.respond(session, code, { method: 'code' })).toMatchObject({ kind: 'error' })
  })

  it('refuses a second email inside the minimum interval, then allows it', async () => {
    const h = createHarness({ minSendIntervalSeconds: 30 })
    const sim = createSimulator(h.triggers, users)
    await startCode(sim)
    h.advance(10)
    const method = challenge(await sim.initiateAuth(EMAIL))
    const again = await sim.respond(method.session, '__method', { method: 'code' })
    expect(again).toMatchObject({ kind: 'error', type: 'UserLambdaValidationException' })
    expect(again.kind === 'error' && again.message).toMatch(
      /^CreateAuthChallenge failed with error RATE_LIMITED: .*retryAfterSeconds=20/,
    )
    expect(h.inbox).toHaveLength(1)
    h.advance(20)
    await startCode(sim)
    expect(h.inbox).toHaveLength(2)
    expect(h.inbox[1]?.code).toMatch(/^\d{6}$/)
  })

  it('gives an unknown email the same challenges, sends nothing and never signs in', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    const known = await startCode(sim)
    const unknown = await startCode(sim, 'grace@example.com')
    expect(Object.keys(unknown.parameters).sort()).toEqual(Object.keys(known.parameters).sort())
    expect(unknown.parameters).toEqual({ USERNAME: expect.any(String), step: 'code', attemptsLeft: '3' })
    expect(unknown.session.metadata).toMatch(/^CODE:6:/)
    expect(h.inbox.map((m) => m.to)).toEqual([EMAIL])
    let session = unknown.session
    for (let i = 0; i < 2; i++) {
      const next = challenge(await sim.respond(session, '123456', { method: 'code' }))
      expect(next.parameters.attemptsLeft).toBe(String(2 - i))
      session = next.session
    }
    expect(await sim.respond(session, '123456', { method: 'code' })).toMatchObject({ type: 'NotAuthorizedException' })
  })

  it('rate-limits an unknown email exactly like a known one', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    await startCode(sim, 'grace@example.com')
    const method = challenge(await sim.initiateAuth('Grace@Example.com '))
    const again = await sim.respond(method.session, '__method', { method: 'code' })
    expect(again.kind === 'error' && again.message).toMatch(/RATE_LIMITED: .*retryAfterSeconds=30/)
  })
})

describe('sign-in with a magic link through the Cognito loop', () => {
  async function requestLink(sim: ReturnType<typeof createSimulator>, redirectUri: string, typed = EMAIL) {
    const method = challenge(await sim.initiateAuth(typed))
    return sim.respond(method.session, '__method', { method: 'link', redirectUri })
  }

  async function redeem(sim: ReturnType<typeof createSimulator>, username: string, token: string) {
    const method = challenge(await sim.initiateAuth(username))
    const step = challenge(await sim.respond(method.session, '__method', { method: 'link', redeem: 'true' }))
    expect(step.parameters.step).toBe('link')
    return sim.respond(step.session, token, { method: 'link' })
  }

  it('emails a link with the token in the fragment; redeeming it in another region signs in once', async () => {
    const h = createHarness()
    const regionA = createSimulator(h.triggers, users)
    const regionB = createSimulator(h.triggers, users, { userPoolId: PEER_POOL_ID, region: 'us-east-1' })
    const sent = challenge(await requestLink(regionA, 'https://app.example.com/auth/callback?next=%2Fhome'))
    expect(sent.parameters).toEqual({ USERNAME: expect.any(String), step: 'link' })
    const mail = h.inbox[0]
    expect(mail?.kind).toBe('link')
    const url = new URL(mail?.link ?? '')
    expect(url.origin + url.pathname + url.search).toBe('https://app.example.com/auth/callback?next=%2Fhome')
    const token = tokenFromLink(mail?.link)
    expect(mail?.html).toContain(`#regionless-link=${token}`)
    expect(await redeem(regionB, USERNAME, token)).toEqual({ kind: 'tokens', username: USERNAME })
    expect(await redeem(regionA, USERNAME, token)).toMatchObject({ kind: 'error', type: 'NotAuthorizedException' })
    expect(h.log.at(-2)).toMatchObject({ trigger: 'verifyAuthChallengeResponse', reason: 'link already used' })
  })

  it('refuses an expired link', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    challenge(await requestLink(sim, 'https://app.example.com/auth/'))
    h.advance(15 * 60 + 1)
    expect(await redeem(sim, USERNAME, tokenFromLink(h.inbox[0]?.link))).toMatchObject({
      type: 'NotAuthorizedException',
    })
    expect(h.log.at(-2)).toMatchObject({ reason: 'expired' })
  })

  it('refuses a link redeemed for another user', async () => {
    const other = { username: usernameForEmail('grace@example.com'), email: 'grace@example.com' }
    const h = createHarness()
    const sim = createSimulator(h.triggers, [...users, other])
    challenge(await requestLink(sim, 'https://app.example.com/auth/'))
    expect(await redeem(sim, other.username, tokenFromLink(h.inbox[0]?.link))).toMatchObject({
      type: 'NotAuthorizedException',
    })
    expect(h.log.at(-2)).toMatchObject({ reason: 'link is for another user' })
  })

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://evil.example.net/auth/',
    'https://app.example.com@evil.example.net/auth/',
    'https://app.example.com.evil.example.net/auth/',
    'https://app.example.com/authx',
    'http://app.example.com/auth/',
    '/auth/relative',
  ])('refuses the redirect %s before sending anything', async (redirectUri) => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    const result = await requestLink(sim, redirectUri)
    expect(result.kind === 'error' && result.message).toMatch(
      /^CreateAuthChallenge failed with error INVALID_REDIRECT: /,
    )
    expect(h.inbox).toHaveLength(0)
  })

  it('gives an unknown email a link step without sending a link', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, users)
    const result = challenge(await requestLink(sim, 'https://app.example.com/auth/', 'nobody@example.org'))
    expect(result.parameters).toEqual({ USERNAME: expect.any(String), step: 'link' })
    expect(h.inbox).toHaveLength(0)
  })
})
