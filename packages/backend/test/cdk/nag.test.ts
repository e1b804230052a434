import { Stack, Validations } from 'aws-cdk-lib'
import { UserPool } from 'aws-cdk-lib/aws-cognito'
import { AwsSolutionsChecks } from 'cdk-nag'
import { describe, expect, it } from 'vitest'
import { addRegionlessStacks } from '../../src/cdk/index.js'
import { FAILURE_QUEUE_ACKNOWLEDGEMENT, NAG_ACKNOWLEDGEMENTS } from '../../src/cdk/nag-suppressions.js'
import { deployDir, exampleConfig, stubCode, synthExample } from '../helpers/cdk-fixtures.js'

// Each test synthesizes the example app and runs every AwsSolutions rule over its stacks: ~5 s for
// both topologies on an idle machine (about 1 s for the probe), so a budget for a busy 2-core one.
describe('cdk-nag AwsSolutions', { timeout: 120_000 }, () => {
  it('finds no unacknowledged error in any stack of either topology', () => {
    const { app, stacks } = synthExample()
    expect(stacks.regions).toHaveLength(2)
    // The replicas topology's stacks (primary with the replica, secondary without a pool) in the same app.
    const replicas = addRegionlessStacks(
      app,
      exampleConfig({
        name: 'replicas',
        topology: 'replicas',
        regions: [
          { region: 'eu-west-1', userPoolId: 'eu-west-1_SHARED1', clientId: 'sharedclient000000000000' },
          { region: 'us-east-1' },
        ],
      }),
      { baseDir: deployDir, code: () => stubCode() },
    )
    expect(replicas.regions).toHaveLength(2)
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
    // cdk-nag 3 reports through CDK's policy validation: synth throws listing every unacknowledged finding.
    expect(() => app.synth()).not.toThrow()
  })

  it('still reports a finding the pack is meant to catch (the check is live)', () => {
    const { app } = synthExample(exampleConfig({ name: 'nagprobe' }))
    // A stack without Regionless's acknowledgements: its bare pool must be reported.
    const probe = new Stack(app, 'probe', { env: { region: 'eu-west-1' } })
    new UserPool(probe, 'Pool')
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
    expect(() => app.synth()).toThrow(/AwsSolutions-COG2/)
  })

  it('gives every acknowledgement a reason of substance', () => {
    expect(NAG_ACKNOWLEDGEMENTS.length).toBeGreaterThan(0)
    for (const ack of [...NAG_ACKNOWLEDGEMENTS, FAILURE_QUEUE_ACKNOWLEDGEMENT]) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+$/)
      expect(ack.reason.length, ack.id).toBeGreaterThan(60)
    }
  })
})
