// The replication tests' fake pool and the emulator, side by side, answer every scenario
// of admin-scenarios.ts alike: the same commands through an SDK client, mocked for the
// fake (aws-sdk-client-mock) and real for the emulator (HTTP on 127.0.0.1).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asExpected, keyPaths, type Outcome } from '../../../../test/contracts/outcome.js'
import { fakePool } from '../helpers/fake-pool.js'
import { ADMIN_SCENARIOS, type AdminScenario, type AdminTarget, type Output } from './admin-scenarios.js'

async function outcomeOf(scenario: AdminScenario, target: AdminTarget): Promise<Outcome & { observed?: unknown }> {
  try {
    const { $metadata: _, ...output } = (await scenario.run(target)) as Output
    return { status: 200, keys: keyPaths(output), ...(scenario.observe && { observed: scenario.observe(output) }) }
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
    if (!e.$metadata) throw err
    return { status: e.$metadata.httpStatusCode ?? 0, type: e.name, message: e.message }
  }
}

describe('the fake pool answers the admin calls like the emulator', () => {
  let emulator: RunningEmulator
  let targets: [string, AdminTarget][] = []
  beforeAll(async () => {
    emulator = await startEmulator({ regions: ['eu-west-1'] })
    const [region] = emulator.config.regions
    const fake = fakePool('eu-west-1')
    const client = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: region!.endpoint,
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
      maxAttempts: 1,
    })
    targets = [
      ['fake pool', { client: fake.client, userPoolId: fake.userPoolId }],
      ['emulator', { client, userPoolId: region!.userPoolId }],
    ]
  })
  afterAll(() => emulator?.close())

  it.each(ADMIN_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    for (const [name, target] of targets) {
      const outcome = await outcomeOf(scenario, target)
      const actual = {
        ...asExpected(outcome, scenario.expect),
        ...('observed' in scenario.expect && { observed: outcome.observed }),
      }
      expect({ target: name, ...actual }).toEqual({ target: name, ...scenario.expect })
    }
  })
})
