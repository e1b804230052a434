// The backend's Cognito simulator and the emulator, side by side, run the same challenge
// triggers (one harness each: in-memory stores, a frozen clock, a spy inbox) and come to
// the same outcome in every scenario of trigger-loop-scenarios.ts.
import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usernameForEmail } from '../../src/identity/stable-username.js'
import { createSimulator, type SimResult, type SimUser } from '../helpers/cognito-simulator.js'
import { createHarness } from '../helpers/harness.js'
import { LOOP_SCENARIOS, type LoopOutcome, type LoopStep, type LoopTarget } from './trigger-loop-scenarios.js'

// biome-ignore lint/suspicious/noExplicitAny: protocol answers, read loosely
type Wire = Record<string, any>

const harness = () => createHarness({ minSendIntervalSeconds: 30 })
const lastCode = (h: ReturnType<typeof harness>, email: string) =>
  [...h.inbox].reverse().find((m) => m.to === email && m.code)?.code

function simulatorTarget(): LoopTarget {
  const h = harness()
  const users: SimUser[] = []
  const sim = createSimulator(h.triggers, users)
  const step = (result: SimResult): LoopStep => {
    if (result.kind === 'challenge')
      return { outcome: { kind: 'challenge', parameters: result.parameters }, handle: result.session }
    if (result.kind === 'tokens') return { outcome: { kind: 'tokens' } }
    return { outcome: { kind: 'error', type: result.type, message: result.message } }
  }
  return {
    addUser: async (email) => {
      users.push({ username: usernameForEmail(email), email })
      return usernameForEmail(email)
    },
    initiateAuth: async (login) => step(await sim.initiateAuth(login)),
    respond: async (from, answer, meta) => {
      if (!from.handle) throw new Error(`no session to answer: ${JSON.stringify(from.outcome)}`)
      return step(await sim.respond(from.handle as Parameters<typeof sim.respond>[0], answer, meta))
    },
    lastCode: (email) => lastCode(h, email),
  }
}

function emulatorTarget(emulator: RunningEmulator, h: ReturnType<typeof harness>): LoopTarget {
  const [region] = emulator.config.regions
  const { endpoint, clientId } = region!
  const send = async (operation: string, body: Wire) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify({ ClientId: clientId, ...body }),
    })
    return { status: res.status, body: (await res.json()) as Wire }
  }
  const step = ({ status, body }: { status: number; body: Wire }): LoopStep => {
    if (status !== 200) return { outcome: { kind: 'error', type: body.__type, message: body.message } }
    if (body.AuthenticationResult) return { outcome: { kind: 'tokens' } }
    return { outcome: { kind: 'challenge', parameters: body.ChallengeParameters }, handle: body }
  }
  return {
    addUser: async (email) => {
      const Username = usernameForEmail(email)
      const up = await send('SignUp', {
        Username,
        Password: `Aa1!${crypto.randomUUID()}`,
        UserAttributes: [{ Name: 'email', Value: email }],
      })
      if (up.status !== 200) throw new Error(`SignUp: ${JSON.stringify(up.body)}`)
      return Username
    },
    initiateAuth: async (login) =>
      step(await send('InitiateAuth', { AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: login } })),
    respond: async (from, answer, meta) => {
      const challenge = from.handle as Wire
      return step(
        await send('RespondToAuthChallenge', {
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: challenge.ChallengeParameters.USERNAME, ANSWER: answer },
          ...(meta && { ClientMetadata: meta }),
        }),
      )
    },
    lastCode: (email) => lastCode(h, email),
  }
}

describe('the backend simulator comes to the same outcomes as the emulator', () => {
  let emulator: RunningEmulator
  let targets: [string, LoopTarget][] = []
  beforeAll(async () => {
    const h = harness()
    emulator = await startEmulator({
      regions: ['eu-west-1'],
      config: { pool: { aliasAttributes: ['email'] } },
      triggers: (_, defaults) => ({
        ...defaults,
        defineAuthChallenge: h.triggers.defineAuthChallenge,
        createAuthChallenge: h.triggers.createAuthChallenge,
        verifyAuthChallengeResponse: h.triggers.verifyAuthChallengeResponse,
      }),
    })
    targets = [
      ['simulator', simulatorTarget()],
      ['emulator', emulatorTarget(emulator, h)],
    ]
  })
  afterAll(() => emulator?.close())

  it.each(LOOP_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    for (const [name, target] of targets) {
      const { outcome } = await scenario.run(target)
      expect({ target: name, ...outcome }).toEqual({ target: name, ...(scenario.expect as LoopOutcome) })
    }
  })
})
