// The client's fake Cognito and the emulator, side by side, answer every scenario of
// wire-scenarios.ts alike. No msw server: the fake's handlers answer Requests directly
// (msw's getResponse), and the emulator is reached over HTTP on 127.0.0.1.
import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { getResponse } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asExpected, wireOutcome } from '../../../../test/contracts/outcome.js'
import { createFakeCognito, regionsFor } from '../helpers/fake-cognito.js'
import { type Answer, WIRE_SCENARIOS, type Wire, type WireTarget } from './wire-scenarios.js'

const request = (endpoint: string, operation: string, body: Wire) =>
  new Request(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  })

const answerOf = async (res: Response | undefined): Promise<Answer> => {
  if (!res) throw new Error('no answer')
  return { status: res.status, body: (await res.json()) as Wire }
}

function fakeTarget(rotation: boolean): WireTarget {
  const [region] = regionsFor(['eu-west-1'])
  const fake = createFakeCognito([region!])
  if (rotation) fake.setRotation({ graceSeconds: 0 })
  return {
    clientId: region!.clientId,
    send: async (op, body) => answerOf(await getResponse(fake.handlers, request(region!.endpoint, op, body))),
    lastCode: (email) => [...fake.inbox].reverse().find((m) => m.to === email && m.code)?.code,
  }
}

function emulatorTarget(emulator: RunningEmulator): WireTarget {
  const [region] = emulator.config.regions
  return {
    clientId: region!.clientId,
    send: async (op, body) => answerOf(await fetch(request(region!.endpoint, op, body))),
    lastCode: (email) => emulator.inbox().find((m) => m.to === email && m.code)?.code,
  }
}

describe.each([false, true])('the client fake answers like the emulator (refresh-token rotation: %s)', (rotation) => {
  let emulator: RunningEmulator
  let targets: [string, WireTarget][] = []
  beforeAll(async () => {
    const refreshTokenRotation = { feature: rotation ? 'ENABLED' : 'DISABLED', retryGracePeriodSeconds: 0 } as const
    emulator = await startEmulator({ regions: ['eu-west-1'], config: { client: { refreshTokenRotation } } })
    targets = [
      ['fake', fakeTarget(rotation)],
      ['emulator', emulatorTarget(emulator)],
    ]
  })
  afterAll(() => emulator?.close())

  const scenarios = WIRE_SCENARIOS.filter((s) => (s.rotation ?? false) === rotation)
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    for (const [name, target] of targets) {
      const outcome = wireOutcome(await scenario.run(target))
      expect({ target: name, ...asExpected(outcome, scenario.expect) }).toEqual({ target: name, ...scenario.expect })
    }
  })
})
