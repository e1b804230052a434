import { describe, expect, it } from 'vitest'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { createMemoryBudgetTable } from '../src/stores/budget-store.js'
import { createSimulator, type SimResult, type SimUser } from './helpers/cognito-simulator.js'
import { PEER_POOL_ID } from './helpers/events.js'
import { createHarness } from './helpers/harness.js'

// The attacks of the security review (issue 16, items 1 to 3), run against the triggers through the
// Cognito loop. Each failed before the budgets and the verified-address rule existed.

const VICTIM = 'victim@example.com'
const victim: SimUser = { username: usernameForEmail(VICTIM), email: VICTIM }

/** Two regions' triggers on one clock, their budgets in one global table with `lagMs` of replication lag. */
function twoRegions(users: SimUser[], lagMs = 0) {
  const eu = createHarness()
  const table = createMemoryBudgetTable({ lagMs, now: eu.options.now })
  const euTriggers = createHarness({ ...eu.options, budgets: table.forRegion('eu-west-1') })
  const usTriggers = createHarness({ ...eu.options, budgets: table.forRegion('us-east-1') })
  return {
    clock: eu.clock,
    inbox: eu.inbox,
    advance: eu.advance,
    eu: createSimulator(euTriggers.triggers, users),
    us: createSimulator(usTriggers.triggers, users, { userPoolId: PEER_POOL_ID, region: 'us-east-1' }),
  }
}

function challenge(result: SimResult) {
  if (result.kind !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(result)}`)
  return result
}

async function askForCode(sim: ReturnType<typeof createSimulator>, login: string) {
  const method = challenge(await sim.initiateAuth(login))
  return sim.respond(method.session, '__method', { method: 'code' })
}

/** Everything an attacker sees of one probe, minus the session objects. */
async function probe(sim: ReturnType<typeof createSimulator>, login: string, metadata: Record<string, string>) {
  const method = await sim.initiateAuth(login)
  const seen: unknown[] = [method.kind === 'challenge' ? method.parameters : method]
  if (method.kind !== 'challenge') return seen
  const next = await sim.respond(method.session, '__method', metadata)
  seen.push(next.kind === 'challenge' ? next.parameters : next)
  if (next.kind === 'challenge' && next.parameters.step === 'code') {
    const wrong = await sim.respond(next.session, '000000')
    seen.push(wrong.kind === 'challenge' ? wrong.parameters : wrong)
  }
  if (next.kind === 'challenge' && next.parameters.step === 'link') {
    const bad = await sim.respond(next.session, 'not-a-token')
    seen.push(bad.kind === 'challenge' ? bad.parameters : bad)
  }
  return seen
}

describe('user enumeration (item 1)', () => {
  it.each([
    ['code', { method: 'code' }],
    ['link', { method: 'link', redirectUri: 'https://app.example.com/auth/' }],
    ['link redeem', { method: 'link', redeem: 'true' }],
  ])('answers a known and an unknown username alike on the %s path', async (_, metadata) => {
    const known = createHarness()
    const unknown = createHarness()
    const seenKnown = await probe(createSimulator(known.triggers, [victim]), victim.username, metadata)
    const seenUnknown = await probe(createSimulator(unknown.triggers, []), victim.username, metadata)
    expect(seenKnown).toEqual(seenUnknown)
    expect(JSON.stringify(seenKnown)).not.toMatch(/\*\*\*/) // no masked address to compare with maskEmail(victim)
  })

  it('counts an unknown name against the same budgets, so a refusal cannot tell them apart either', async () => {
    const known = createHarness()
    const unknown = createHarness()
    const simKnown = createSimulator(known.triggers, [victim])
    const simUnknown = createSimulator(unknown.triggers, [])
    await askForCode(simKnown, victim.username)
    await askForCode(simUnknown, victim.username)
    expect(await askForCode(simKnown, victim.username)).toEqual(await askForCode(simUnknown, victim.username))
  })
})

describe('mail only to a verified address, and a budget per mailbox (item 2)', () => {
  it('sends nothing to an address the user wrote but never verified, and answers as usual', async () => {
    const attacker: SimUser = {
      username: usernameForEmail('attacker@example.com'),
      email: VICTIM,
      attributes: { email_verified: 'false' },
    }
    const h = createHarness()
    const sim = createSimulator(h.triggers, [attacker])
    const sent = challenge(await askForCode(sim, attacker.username))
    expect(sent.parameters).toEqual({ USERNAME: expect.any(String), step: 'code', attemptsLeft: '3' })
    expect(h.inbox).toEqual([])
  })

  it('holds the mailbox budget over plus-addresses, Gmail dots, case and regions', async () => {
    const variants = Array.from({ length: 15 }, (_, i) => (i % 2 ? `V.ictim+${i}@gmail.com` : `victim+${i}@GMAIL.com`))
    const users = variants.map((email) => ({ username: usernameForEmail(email), email }))
    const world = twoRegions(users)
    // At once, thirty requests, each for a user who may be sent to, reach the inbox once per region.
    for (const user of users) {
      await askForCode(world.eu, user.username)
      await askForCode(world.us, user.username)
    }
    expect(world.inbox).toHaveLength(2)
    // Spread over 15 minutes, only `sendBudget` (10) in the hour.
    for (const user of users) {
      for (const region of [world.eu, world.us]) {
        world.advance(30)
        await askForCode(region, user.username)
      }
    }
    expect(world.inbox).toHaveLength(10)
    const refused = await askForCode(world.eu, users[0]!.username)
    expect(refused).toMatchObject({ kind: 'error', type: 'UserLambdaValidationException' })
    expect(refused.kind === 'error' && refused.message).toMatch(/RATE_LIMITED: .* retryAfterSeconds=\d+/)
  })
})

describe('budgets that hold across regions, and a lock-out (item 3)', () => {
  it('holds the hour budget over regions, while a sign-in may move to a peer at once', async () => {
    const world = twoRegions([victim], 1000)
    expect((await askForCode(world.eu, victim.username)).kind).toBe('challenge')
    // The home region failed after sending: the peer sends the next code without waiting.
    expect((await askForCode(world.us, victim.username)).kind).toBe('challenge')
    for (let sent = 2; sent < 10; sent++) {
      world.advance(30)
      expect((await askForCode(sent % 2 ? world.us : world.eu, victim.username)).kind).toBe('challenge')
    }
    world.advance(30)
    for (const region of [world.eu, world.us]) {
      const refused = await askForCode(region, victim.username)
      expect(refused.kind === 'error' && refused.message).toMatch(/RATE_LIMITED: .*retryAfterSeconds=\d+/)
    }
    expect(world.inbox).toHaveLength(10)
  })

  it('inside the replication lag, each region may spend the whole budget once: the window docs/security.md states', async () => {
    // An exaggerated lag (10 minutes) makes the window wide enough to see.
    const world = twoRegions([victim], 600_000)
    for (let sent = 0; sent < 10; sent++) {
      await askForCode(world.eu, victim.username)
      await askForCode(world.us, victim.username)
      world.advance(30)
    }
    expect(world.inbox).toHaveLength(20)
    world.advance(600)
    expect((await askForCode(world.us, victim.username)).kind).toBe('error')
  })

  it('locks code sign-in after 10 wrong codes over sign-ins and regions, the right code included, with the wait', async () => {
    const world = twoRegions([victim])
    let wrong = 0
    for (let round = 0; wrong < 10; round++) {
      const sim = round % 2 ? world.us : world.eu
      let open = challenge(await askForCode(sim, victim.username))
      for (let attempt = 0; attempt < 3 && wrong < 10; attempt++) {
        const answer = await sim.respond(open.session, '000000')
        wrong++
        if (answer.kind !== 'challenge') break
        open = answer
      }
      world.advance(30)
    }
    const locked = await askForCode(world.us, victim.username)
    expect(locked.kind === 'error' && locked.message).toMatch(/LOCKED_OUT: .*retryAfterSeconds=\d+/)
    expect(world.inbox.length).toBeLessThanOrEqual(4)
  })

  it('refuses even the right code while locked, so guessing cannot go on in a challenge opened before', async () => {
    const world = twoRegions([victim])
    const held = challenge(await askForCode(world.us, victim.username))
    const code = world.inbox.at(-1)?.code ?? ''
    for (let sign = 0; sign < 4; sign++) {
      world.advance(30)
      let open = challenge(await askForCode(world.eu, victim.username))
      for (let attempt = 0; attempt < 3; attempt++) {
        const answer = await world.eu.respond(open.session, '000000')
        if (answer.kind !== 'challenge') break
        open = answer
      }
    }
    const answer = await world.us.respond(held.session, code)
    expect(answer.kind === 'error' && answer.message).toMatch(/LOCKED_OUT: .*retryAfterSeconds=\d+/)
  })
})
