import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import { expect } from 'vitest'
import { usernameForEmail } from '../../src/identity/stable-username.js'
import { createPasskeyService, type PasskeyService } from '../../src/passkeys/passkey-service.js'
import { createMemoryPasskeyStore, type PasskeyStore } from '../../src/passkeys/passkey-store.js'
import { createSimulator, type SimResult, type SimSession, type Simulator } from '../helpers/cognito-simulator.js'
import { PEER_POOL_ID, POOL_ID } from '../helpers/events.js'
import { createHarness } from '../helpers/harness.js'
import { createSoftAuthenticator, type SoftAuthenticator } from '../helpers/soft-authenticator.js'

// Two regions of one deployment: each has its pool (a simulator) and its passkey API (a service), and
// both share what a global table shares in AWS: the passkey store and the single-use store.

export const RP_ID = 'example.com'
export const ORIGIN = 'https://app.example.com'
export const ADA = 'ada@example.com'
export const GRACE = 'grace@example.com'
export const ADA_USER = usernameForEmail(ADA)
export const GRACE_USER = usernameForEmail(GRACE)
export const REGION_A = 'eu-west-1'
export const REGION_B = 'us-east-1'

export interface PasskeyStep {
  parameters: Record<string, string>
  options: PublicKeyCredentialRequestOptionsJSON
  session: SimSession
}

export function createPasskeyWorld() {
  let clockMs = () => 0
  const passkeys: PasskeyStore = createMemoryPasskeyStore({ now: () => clockMs() })
  const h = createHarness({ passkeys: { store: passkeys, rpId: RP_ID, origins: [ORIGIN] } })
  clockMs = () => h.clock.ms
  const service = (region: string): PasskeyService =>
    createPasskeyService({
      passkeys,
      singleUse: h.store,
      region,
      relyingParty: { rpId: RP_ID, rpName: 'Example', origins: [ORIGIN] },
      now: () => h.clock.ms,
    })
  const users = [
    { username: ADA_USER, email: ADA },
    { username: GRACE_USER, email: GRACE },
  ]
  const regions = {
    a: { sim: createSimulator(h.triggers, users, { userPoolId: POOL_ID, region: REGION_A }), api: service(REGION_A) },
    b: {
      sim: createSimulator(h.triggers, users, { userPoolId: PEER_POOL_ID, region: REGION_B }),
      api: service(REGION_B),
    },
  }

  /** Registers a passkey for `email`'s user through a region's API, as the passkey manager does. */
  async function register(
    email: string,
    authenticator: SoftAuthenticator = createSoftAuthenticator(),
    api = regions.a.api,
  ) {
    const username = usernameForEmail(email)
    const options = await api.registrationOptions(username, email)
    const passkey = await api.register(username, { response: authenticator.register(options, { origin: ORIGIN }) })
    return { authenticator, passkey, username }
  }

  /** Opens a sign-in and picks the passkey method: the step whose options the browser would get. */
  async function passkeyStep(typed: string, sim: Simulator = regions.a.sim): Promise<PasskeyStep> {
    const method = await sim.initiateAuth(typed)
    if (method.kind !== 'challenge') throw new Error(`no method step: ${JSON.stringify(method)}`)
    const step = await sim.respond(method.session, '__method', { method: 'passkey' })
    if (step.kind !== 'challenge') throw new Error(`no passkey step: ${JSON.stringify(step)}`)
    expect(step.parameters.step).toBe('passkey')
    return { parameters: step.parameters, options: JSON.parse(step.parameters.options ?? ''), session: step.session }
  }

  const answer = (sim: Simulator, step: PasskeyStep, assertion: AuthenticationResponseJSON | string) =>
    sim.respond(step.session, typeof assertion === 'string' ? assertion : JSON.stringify(assertion), {
      method: 'passkey',
    })

  /** The reason the verify trigger logged for its last refusal. */
  const lastVerify = () => h.log.filter((e) => e.trigger === 'verifyAuthChallengeResponse').at(-1)

  return { h, passkeys, regions, register, passkeyStep, answer, lastVerify }
}

export const refused = (result: SimResult) =>
  expect(result).toMatchObject({ kind: 'error', type: 'NotAuthorizedException' })
