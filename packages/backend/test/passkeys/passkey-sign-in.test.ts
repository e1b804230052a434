import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import { describe, expect, it } from 'vitest'
import { webauthnKey } from '../../src/stores/keys.js'
import { createSimulator } from '../helpers/cognito-simulator.js'
import { createHarness, START_MS } from '../helpers/harness.js'
import { createSoftAuthenticator, withoutUserHandle } from '../helpers/soft-authenticator.js'
import {
  ADA,
  ADA_USER,
  createPasskeyWorld,
  GRACE,
  GRACE_USER,
  ORIGIN,
  REGION_A,
  REGION_B,
  RP_ID,
  refused,
} from './passkey-world.js'

const challengeOf = (assertion: AuthenticationResponseJSON): string =>
  JSON.parse(isoBase64URL.toUTF8String(assertion.response.clientDataJSON)).challenge

describe('passkey sign-in through the Cognito loop', () => {
  it('signs in username-first: the step lists no credentials, the answer is the assertion JSON', async () => {
    const { register, passkeyStep, answer, regions, h, lastVerify } = createPasskeyWorld()
    const { authenticator } = await register(ADA)
    const step = await passkeyStep(ADA)
    expect(step.parameters).toEqual({ USERNAME: ADA_USER, step: 'passkey', options: expect.any(String) })
    expect(step.options).toEqual({
      challenge: expect.any(String),
      rpId: RP_ID,
      timeout: 300_000,
      userVerification: 'required',
      allowCredentials: [],
    })
    expect(step.session.metadata).toBe('PASSKEY')
    const assertion = authenticator.authenticate(step.options, { origin: ORIGIN })
    expect(await answer(regions.a.sim, step, assertion)).toEqual({ kind: 'tokens', username: ADA_USER })
    expect(lastVerify()).toEqual({ trigger: 'verifyAuthChallengeResponse', outcome: 'correct', step: 'passkey' })
    // The challenge is spent in the store every region sees.
    expect(await h.store.consume(webauthnKey(step.options.challenge), 0)).toBe(false)
  })

  it('records the use on the passkey: when, where, and the new counter', async () => {
    const { register, passkeyStep, answer, regions, passkeys, h } = createPasskeyWorld()
    const { authenticator, passkey } = await register(ADA, createSoftAuthenticator({ counter: 10 }))
    expect((await passkeys.list(ADA_USER))[0]).toMatchObject({ counter: 11 })
    expect((await regions.a.api.list(ADA_USER))[0]).not.toHaveProperty('lastUsedAt')
    h.advance(120)
    const step = await passkeyStep(ADA, regions.b.sim)
    const result = await answer(regions.b.sim, step, authenticator.authenticate(step.options, { origin: ORIGIN }))
    expect(result).toEqual({ kind: 'tokens', username: ADA_USER })
    expect((await passkeys.list(ADA_USER))[0]).toMatchObject({
      id: passkey.id,
      counter: 12,
      lastUsedAt: START_MS + 120_000,
      lastUsedRegion: REGION_B,
      registeredRegion: REGION_A,
    })
    expect((await regions.a.api.list(ADA_USER))[0]).toMatchObject({
      lastUsedAt: new Date(START_MS + 120_000).toISOString(),
      lastUsedRegion: REGION_B,
    })
  })

  it('signs in with a synced passkey that keeps no counter (0 stays 0), again and again', async () => {
    const { register, passkeyStep, answer, regions, passkeys } = createPasskeyWorld()
    const { authenticator } = await register(ADA, createSoftAuthenticator({ backedUp: true, counterStep: 0 }))
    for (const sim of [regions.a.sim, regions.b.sim]) {
      const step = await passkeyStep(ADA, sim)
      const result = await answer(sim, step, authenticator.authenticate(step.options, { origin: ORIGIN }))
      expect(result).toEqual({ kind: 'tokens', username: ADA_USER })
    }
    expect((await passkeys.list(ADA_USER))[0]).toMatchObject({ counter: 0, lastUsedRegion: REGION_B })
  })

  it('signs in usernameless: a challenge from POST /passkeys/challenge in one region, answered in the other', async () => {
    const { register, passkeyStep, answer, regions, passkeys } = createPasskeyWorld()
    const { authenticator } = await register(ADA)
    const options = await regions.a.api.signInChallenge()
    const assertion = authenticator.authenticate(options, { origin: ORIGIN })
    // The client reads the username from the user handle, then opens a sign-in for it.
    const username = isoBase64URL.toUTF8String(assertion.response.userHandle ?? '')
    expect(username).toBe(ADA_USER)
    const step = await passkeyStep(username, regions.b.sim)
    expect(step.options.challenge).not.toBe(options.challenge)
    expect(await answer(regions.b.sim, step, assertion)).toEqual({ kind: 'tokens', username: ADA_USER })
    expect((await passkeys.list(ADA_USER))[0]).toMatchObject({ lastUsedRegion: REGION_B })
  })

  it('after a failover, the same assertion answers a new session in the next region: it was not spent', async () => {
    const { register, passkeyStep, answer, regions, h } = createPasskeyWorld()
    const { authenticator } = await register(ADA)
    const first = await passkeyStep(ADA, regions.a.sim)
    const assertion = authenticator.authenticate(first.options, { origin: ORIGIN })
    // Region A failed before the answer reached it; the client opens in region B and answers again.
    const second = await passkeyStep(ADA, regions.b.sim)
    expect(await answer(regions.b.sim, second, assertion)).toEqual({ kind: 'tokens', username: ADA_USER })
    expect(await h.store.consume(webauthnKey(first.options.challenge), 0)).toBe(false)
  })

  it('gives an unknown user a passkey step of the same shape as a known one, and refuses any answer', async () => {
    const { register, passkeyStep, answer, regions, lastVerify, h, passkeys } = createPasskeyWorld()
    const { authenticator } = await register(ADA)
    const known = await passkeyStep(ADA)
    const unknown = await passkeyStep('nobody@example.com')
    expect(Object.keys(unknown.parameters).sort()).toEqual(Object.keys(known.parameters).sort())
    expect(Object.keys(unknown.options).sort()).toEqual(Object.keys(known.options).sort())
    expect(unknown.options).toMatchObject({ allowCredentials: [], rpId: RP_ID, userVerification: 'required' })
    expect(known.options.allowCredentials).toEqual([])
    expect(unknown.session.metadata).toBe(known.session.metadata)
    // Ada's passkey (her user handle) and one without a handle: both refused, nothing spent.
    refused(await answer(regions.a.sim, unknown, authenticator.authenticate(unknown.options, { origin: ORIGIN })))
    expect(lastVerify()?.reason).toBe('credential of another user')
    const again = await passkeyStep('nobody@example.com')
    const stripped = withoutUserHandle(authenticator.authenticate(again.options, { origin: ORIGIN }))
    refused(await answer(regions.a.sim, again, stripped))
    expect(lastVerify()?.reason).toBe('unknown credential')
    expect(await h.store.consume(webauthnKey(again.options.challenge), 0)).toBe(true)
    expect((await passkeys.list(ADA_USER))[0]).not.toHaveProperty('lastUsedAt')
  })

  it('refuses a passkey that was deleted', async () => {
    const { register, passkeyStep, answer, regions, lastVerify } = createPasskeyWorld()
    const { authenticator, passkey } = await register(ADA)
    await regions.b.api.remove(ADA_USER, passkey.id)
    const step = await passkeyStep(ADA)
    refused(await answer(regions.a.sim, step, authenticator.authenticate(step.options, { origin: ORIGIN })))
    expect(lastVerify()).toMatchObject({ outcome: 'wrong', step: 'passkey', reason: 'unknown credential' })
  })
})

describe('passkey sign-in refused, one reason each', () => {
  async function signedUp() {
    const world = createPasskeyWorld()
    const { authenticator, passkey } = await world.register(ADA)
    const step = await world.passkeyStep(ADA)
    /** Answers the step in region A and checks the refusal and the logged reason. */
    async function refusedWith(assertion: AuthenticationResponseJSON | string, reason: string) {
      refused(await world.answer(world.regions.a.sim, step, assertion))
      expect(world.lastVerify()).toEqual({
        trigger: 'verifyAuthChallengeResponse',
        outcome: 'wrong',
        step: 'passkey',
        reason,
      })
      // Nothing was recorded on the passkey, and the challenge it signed was not spent.
      expect((await world.passkeys.list(ADA_USER))[0]).not.toHaveProperty('lastUsedAt')
      if (typeof assertion !== 'string') {
        expect(await world.h.store.consume(webauthnKey(challengeOf(assertion)), 0)).toBe(true)
      }
    }
    return { ...world, authenticator, passkey, step, refusedWith }
  }

  it('an origin that is not configured (on the RP id or elsewhere)', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    await refusedWith(authenticator.authenticate(step.options, { origin: 'https://evil.example.com' }), 'wrong origin')
  })

  it('an origin on another site', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    await refusedWith(authenticator.authenticate(step.options, { origin: 'https://app.example.org' }), 'wrong origin')
  })

  it('another RP id in the authenticator data', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    await refusedWith(authenticator.authenticate(step.options, { origin: ORIGIN, rpId: 'evil.com' }), 'wrong RP id')
  })

  it('a challenge this sign-in did not issue', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    const challenge = isoBase64URL.fromBuffer(new Uint8Array(32).fill(7))
    await refusedWith(authenticator.authenticate(step.options, { origin: ORIGIN, challenge }), 'wrong challenge')
  })

  it("a challenge issued to another user's username-first sign-in", async () => {
    const { authenticator, step, refusedWith, passkeyStep } = await signedUp()
    const graces = await passkeyStep(GRACE)
    await refusedWith(
      authenticator.authenticate(step.options, { origin: ORIGIN, challenge: graces.options.challenge }),
      'wrong challenge',
    )
  })

  it("a registration challenge (Ada's own) answered as a sign-in", async () => {
    const { authenticator, step, refusedWith, regions } = await signedUp()
    const registration = await regions.a.api.registrationOptions(ADA_USER, ADA)
    await refusedWith(
      authenticator.authenticate(step.options, { origin: ORIGIN, challenge: registration.challenge }),
      'wrong challenge',
    )
  })

  it('a usernameless challenge that expired', async () => {
    const { authenticator, regions, h, passkeyStep, answer, lastVerify } = await signedUp()
    const options = await regions.a.api.signInChallenge()
    const assertion = authenticator.authenticate(options, { origin: ORIGIN })
    h.advance(300)
    const step = await passkeyStep(ADA, regions.b.sim)
    refused(await answer(regions.b.sim, step, assertion))
    expect(lastVerify()?.reason).toBe('wrong challenge')
  })

  it("this sign-in's own challenge, answered after its TTL while Cognito's session still lives", async () => {
    const { authenticator, regions, h, passkeyStep, answer, lastVerify } = await signedUp()
    const step = await passkeyStep(ADA, regions.a.sim)
    const assertion = authenticator.authenticate(step.options, { origin: ORIGIN })
    h.advance(300)
    refused(await answer(regions.a.sim, step, assertion))
    expect(lastVerify()?.reason).toBe('challenge expired')
  })

  it('a registration response answered as a sign-in (create type)', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    await refusedWith(
      authenticator.authenticate(step.options, { origin: ORIGIN, type: 'webauthn.create' }),
      'wrong response type',
    )
  })

  it('user verification missing', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    await refusedWith(
      authenticator.authenticate(step.options, { origin: ORIGIN, userVerified: false }),
      'user verification missing',
    )
  })

  it('an unknown credential (an authenticator never registered)', async () => {
    const { step, refusedWith } = await signedUp()
    const stranger = createSoftAuthenticator()
    const assertion = stranger.authenticate(step.options, { origin: ORIGIN })
    expect(assertion.response.userHandle).toBeUndefined()
    await refusedWith(assertion, 'unknown credential')
  })

  it("a credential of another user: Grace's passkey answering Ada's sign-in (user handle is Grace's)", async () => {
    const { step, refusedWith, register } = await signedUp()
    const { authenticator: graces } = await register(GRACE)
    await refusedWith(graces.authenticate(step.options, { origin: ORIGIN }), 'credential of another user')
  })

  it("a credential of another user with the user handle stripped: not one of Ada's credentials", async () => {
    const { step, refusedWith, register, passkeys } = await signedUp()
    const { authenticator: graces } = await register(GRACE)
    await refusedWith(withoutUserHandle(graces.authenticate(step.options, { origin: ORIGIN })), 'unknown credential')
    expect((await passkeys.list(GRACE_USER))[0]).not.toHaveProperty('lastUsedAt')
  })

  it("a signature by another key over Ada's credential id", async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    const good = authenticator.authenticate(step.options, { origin: ORIGIN })
    const forger = createSoftAuthenticator().authenticate(step.options, { origin: ORIGIN })
    await refusedWith(
      { ...good, response: { ...good.response, signature: forger.response.signature } },
      'bad signature',
    )
  })

  it('a forged signature with a stale counter is a bad signature, not a clone', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    const good = authenticator.authenticate(step.options, { origin: ORIGIN, counter: 1 })
    const forger = createSoftAuthenticator().authenticate(step.options, { origin: ORIGIN })
    await refusedWith(
      { ...good, response: { ...good.response, signature: forger.response.signature } },
      'bad signature',
    )
  })

  it('a cloned authenticator: its counter does not grow past the one last seen', async () => {
    const { authenticator, passkeyStep, answer, regions, lastVerify, passkeys } = await signedUp()
    const clone = authenticator.clone()
    // The original signs in twice (counter 2, 3); the clone then signs with 2.
    for (let i = 0; i < 2; i++) {
      const step = await passkeyStep(ADA)
      const result = await answer(regions.a.sim, step, authenticator.authenticate(step.options, { origin: ORIGIN }))
      expect(result).toEqual({ kind: 'tokens', username: ADA_USER })
    }
    const step = await passkeyStep(ADA, regions.b.sim)
    refused(await answer(regions.b.sim, step, clone.authenticate(step.options, { origin: ORIGIN })))
    expect(lastVerify()?.reason).toBe('counter did not grow (cloned authenticator?)')
    expect((await passkeys.list(ADA_USER))[0]).toMatchObject({ counter: 3, lastUsedRegion: REGION_A })
  })

  it.each([
    ['not JSON', '{"id":'],
    ['JSON of something else', '{"hello":"world"}'],
    ['an id that differs from rawId', 'RAWID'],
    ['a huge answer', 'HUGE'],
  ])('a malformed answer: %s', async (_, kind) => {
    const { authenticator, step, refusedWith } = await signedUp()
    const good = authenticator.authenticate(step.options, { origin: ORIGIN })
    const answers: Record<string, string> = {
      RAWID: JSON.stringify({ ...good, rawId: 'AAAA' }),
      HUGE: JSON.stringify({ ...good, padding: 'x'.repeat(20_000) }),
    }
    await refusedWith(answers[kind] ?? kind, 'malformed answer')
  })

  it('a client data that is not JSON', async () => {
    const { authenticator, step, refusedWith } = await signedUp()
    const good = authenticator.authenticate(step.options, { origin: ORIGIN })
    const clientDataJSON = isoBase64URL.fromUTF8String('not json')
    await refusedWith(
      JSON.stringify({ ...good, response: { ...good.response, clientDataJSON } }),
      'malformed client data',
    )
  })
})

describe('passkey assertions are single use across regions', () => {
  it('an assertion accepted in region A, answered again in a session of region B, is refused as already used', async () => {
    // A synced passkey keeps no counter, so only the spent challenge can stop the replay.
    const { register, passkeyStep, answer, regions, lastVerify } = createPasskeyWorld()
    const { authenticator } = await register(ADA, createSoftAuthenticator({ backedUp: true, counterStep: 0 }))
    const stepA = await passkeyStep(ADA, regions.a.sim)
    const assertion = authenticator.authenticate(stepA.options, { origin: ORIGIN })
    expect(await answer(regions.a.sim, stepA, assertion)).toEqual({ kind: 'tokens', username: ADA_USER })
    const stepB = await passkeyStep(ADA, regions.b.sim)
    refused(await answer(regions.b.sim, stepB, assertion))
    expect(lastVerify()?.reason).toBe('challenge already used')
  })

  it('the same replay by an authenticator with a counter is refused, and logged as a replay, not as a clone', async () => {
    const { register, passkeyStep, answer, regions, lastVerify, passkeys } = createPasskeyWorld()
    const { authenticator } = await register(ADA)
    const stepA = await passkeyStep(ADA, regions.a.sim)
    const assertion = authenticator.authenticate(stepA.options, { origin: ORIGIN })
    expect(await answer(regions.a.sim, stepA, assertion)).toEqual({ kind: 'tokens', username: ADA_USER })
    const stepB = await passkeyStep(ADA, regions.b.sim)
    refused(await answer(regions.b.sim, stepB, assertion))
    expect(lastVerify()?.reason).toBe('challenge already used')
    expect((await passkeys.list(ADA_USER))[0]).toMatchObject({ lastUsedRegion: REGION_A, counter: 2 })
  })

  it('a usernameless assertion accepted once is refused in the other region', async () => {
    const { register, passkeyStep, answer, regions, lastVerify } = createPasskeyWorld()
    const { authenticator } = await register(ADA, createSoftAuthenticator({ counterStep: 0 }))
    const options = await regions.a.api.signInChallenge()
    const assertion = authenticator.authenticate(options, { origin: ORIGIN })
    const stepA = await passkeyStep(ADA, regions.a.sim)
    expect(await answer(regions.a.sim, stepA, assertion)).toEqual({ kind: 'tokens', username: ADA_USER })
    const stepB = await passkeyStep(ADA, regions.b.sim)
    refused(await answer(regions.b.sim, stepB, assertion))
    expect(lastVerify()?.reason).toBe('challenge already used')
    expect(challengeOf(assertion)).toBe(options.challenge)
  })

  it('the passkey method is refused when passkeys are not configured', async () => {
    const h = createHarness()
    const sim = createSimulator(h.triggers, [{ username: ADA_USER, email: ADA }])
    const method = await sim.initiateAuth(ADA)
    if (method.kind !== 'challenge') throw new Error('no method step')
    const result = await sim.respond(method.session, '__method', { method: 'passkey' })
    expect(result).toMatchObject({ kind: 'error', type: 'UserLambdaValidationException' })
    expect(result.kind === 'error' && result.message).toMatch(/INVALID_METHOD: passkeys are not enabled/)
  })
})
