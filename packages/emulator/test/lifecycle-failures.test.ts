import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { usernameForEmail } from '@regionless/backend'
import { lifecycleFailureOf } from '@regionless/backend/replication'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The operators' CLI in-process (the `regionless-backend` bin); not part of the package's exports.
import { runCli } from '../../backend/src/replication/cli.js'
import type { EmulatorRegion, RunningEmulator } from '../src/index.js'
import { LIFECYCLE_TRIES, REPLICATION_ACCESS_KEY } from '../src/replication/replication-wiring.js'
import { adminClient, drained, poolUsers, signUpOnce, startReplicated } from './helpers/replication.js'

// Defect 4 of issue 17: a lifecycle event whose handler fails is tried three times (Lambda's async
// invocation), then kept in the region's lifecycle-failures queue, never dropped; redrive replays it.

interface Depths {
  region: string
  lifecycleFailuresUrl: string
  lifecycleFailures: { visible: number; total: number }
}

describe('lifecycle events that fail every try', { timeout: 60_000 }, () => {
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  let us: EmulatorRegion
  let sqs: SQSClient
  const logs: string[] = []
  const username = usernameForEmail('lifecycle-failure@example.com')
  const cli = async (...argv: string[]) => {
    const out: string[] = []
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {}, fetch }
    const code = await runCli(['redrive-lifecycle', '--emulator', emulator.controlUrl, ...argv], io)
    return { code, out: out.join('\n') }
  }
  const failuresIn = async (region: string) => {
    const all = (await (await fetch(`${emulator.controlUrl}/_regionless/queues`)).json()) as Depths[]
    return all.find((d) => d.region === region) as Depths
  }

  beforeAll(async () => {
    emulator = await startReplicated(['eu-west-1', 'us-east-1'], (line) => logs.push(line))
    ;[eu, us] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: emulator.queues.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    })
    expect(await signUpOnce(eu, 'lifecycle-failure@example.com')).toBe('ok')
    await drained(emulator)
  })
  afterAll(async () => {
    sqs?.destroy()
    await emulator?.close()
  })

  it('keeps the event after the first try and two retries, and redrive delivers it once the cause is fixed', async () => {
    // Replication's reads of the user fail in eu-west-1; the operator's change itself succeeds.
    await emulator.setFault({ region: eu.region, mode: 'error', operations: ['AdminGetUser'] })
    await adminClient(eu).send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: eu.userPoolId,
        Username: username,
        UserAttributes: [{ Name: 'name', Value: 'Kept' }],
      }),
    )
    await drained(emulator)

    const tries = logs.filter((l) => /lifecycle eu-west-1 AdminUpdateUserAttributes attempt \d failed/.test(l))
    expect(tries).toHaveLength(LIFECYCLE_TRIES)
    expect(LIFECYCLE_TRIES).toBe(3)
    const kept = await failuresIn(eu.region)
    expect(kept.lifecycleFailures.visible).toBe(1)
    expect((await poolUsers(emulator, us.region)).get(username)?.attributes.name).toBeUndefined()
    // What sits there is Lambda's destination record around the original EventBridge event.
    const peek = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: kept.lifecycleFailuresUrl, VisibilityTimeout: 0, WaitTimeSeconds: 0 }),
    )
    const body = JSON.parse(peek.Messages?.[0]?.Body ?? '{}')
    expect(body.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 })
    expect(body.responsePayload.errorMessage).toBeTruthy()
    expect(lifecycleFailureOf(JSON.stringify(body)).event.detail).toMatchObject({
      eventName: 'AdminUpdateUserAttributes',
      requestParameters: { username },
    })

    // Redriven before the fix: it fails again, and stays.
    const early = await cli('--region', eu.region)
    expect(early.code).toBe(1)
    expect(early.out).toMatch(/failed again .*InternalErrorException/)
    expect((await failuresIn(eu.region)).lifecycleFailures.total).toBe(1)

    await emulator.setFault({ region: eu.region, mode: 'healthy' })
    const dry = await cli('--region', eu.region, '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('would replay 1')
    const fixed = await cli('--region', eu.region)
    expect(fixed.code, fixed.out).toBe(0)
    expect(fixed.out).toContain('replayed 1, failed again 0, unreadable 0')
    await drained(emulator)
    expect((await poolUsers(emulator, us.region)).get(username)?.attributes.name).toBe('Kept')
    expect((await failuresIn(eu.region)).lifecycleFailures.total).toBe(0)
    // A second run finds nothing.
    expect((await cli('--region', eu.region)).out).toContain('found 0, replayed 0')
  })

  it('replays an event EventBridge itself could not deliver, and leaves an unreadable message in place', async () => {
    const { lifecycleFailuresUrl } = await failuresIn(eu.region)
    // The rule's dead-letter queue holds the bare EventBridge event.
    const event = {
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.cognito-idp',
      region: eu.region,
      detail: {
        eventSource: 'cognito-idp.amazonaws.com',
        eventName: 'AdminUpdateUserAttributes',
        eventTime: new Date().toISOString(),
        awsRegion: eu.region,
        userAgent: 'aws-cli/2.15.0',
        userIdentity: { type: 'IAMUser', accessKeyId: 'AKIDOPERATOR' },
        requestParameters: { userPoolId: eu.userPoolId, username, userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      },
    }
    // The change itself, whose event never reached the function: made with replication's own key, which
    // the emulator's lifecycle delivery ignores, so only the replayed event can carry it to us-east-1.
    const unseen = new CognitoIdentityProviderClient({
      region: eu.region,
      endpoint: eu.endpoint,
      credentials: { accessKeyId: REPLICATION_ACCESS_KEY, secretAccessKey: 'x' },
    })
    await unseen.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: eu.userPoolId,
        Username: username,
        UserAttributes: [{ Name: 'name', Value: 'Undelivered' }],
      }),
    )
    unseen.destroy()
    await drained(emulator)
    expect((await poolUsers(emulator, us.region)).get(username)?.attributes.name).toBe('Kept')
    await sqs.send(new SendMessageCommand({ QueueUrl: lifecycleFailuresUrl, MessageBody: JSON.stringify(event) }))
    await sqs.send(new SendMessageCommand({ QueueUrl: lifecycleFailuresUrl, MessageBody: 'not an event' }))

    const run = await cli('--region', eu.region)
    expect(run.code).toBe(1)
    expect(run.out).toContain('replayed 1, failed again 0, unreadable 1')
    expect(run.out).toMatch(/unreadable .*UnreadableFailureError: body is not JSON \(left in the queue\)/)
    expect((await failuresIn(eu.region)).lifecycleFailures.total).toBe(1)
    await drained(emulator)
    expect((await poolUsers(emulator, us.region)).get(username)?.attributes.name).toBe('Undelivered')
  })

  it('answers a replay for an unknown region with 400, naming the regions', async () => {
    const res = await fetch(`${emulator.controlUrl}/_regionless/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'ap-south-1', event: {} }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'region must be one of eu-west-1, us-east-1' })
  })
})
