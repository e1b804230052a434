import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { parseCliArgs, UsageError } from '../../src/replication/cli-args.js'
import {
  destinationRecord,
  lifecycleFailureOf,
  UnreadableFailureError,
} from '../../src/replication/lifecycle-failure.js'
import { LifecycleInvokeError, lambdaInvoke } from '../../src/replication/lifecycle-invoke.js'
import { adminCallEvent } from '../helpers/replication-events.js'

const event = adminCallEvent('AdminDisableUser', 'eu-west-1', '2026-11-24T03:00:00Z', {
  userPoolId: 'eu-west-1_test',
  username: 'u_0123456789abcdef0123456789abcdef',
})

describe('the lifecycle-failures queue', () => {
  it('reads the event out of a Lambda destination record and out of an EventBridge dead letter', () => {
    // As Lambda sends it after the last retry (docs: "Capturing records of Lambda asynchronous invocations").
    const record = {
      version: '1.0',
      timestamp: '2026-11-24T03:03:10.000Z',
      requestContext: {
        requestId: 'c9b8fa9f-5a8f-4a5a-9e0c-0d8a0e9d1a2b',
        functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:regionless-lifecycle:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'InternalErrorException', errorMessage: 'Internal error', trace: [] },
    }
    expect(lifecycleFailureOf(JSON.stringify(record))).toEqual({
      event,
      from: 'lambda',
      lastError: 'InternalErrorException: Internal error',
    })
    expect(lifecycleFailureOf(JSON.stringify(event))).toEqual({ event, from: 'eventbridge' })
    // The emulator's record has the same shape.
    const emulated = destinationRecord({
      event,
      functionArn: record.requestContext.functionArn,
      attempts: 3,
      error: new Error('boom'),
      now: 0,
    })
    expect(lifecycleFailureOf(JSON.stringify(emulated))).toMatchObject({
      event,
      from: 'lambda',
      lastError: 'Error: boom',
    })
  })

  it.each([
    ['not JSON', 'body is not JSON'],
    ['{"requestPayload":{"hello":1}}', 'requestPayload is not an EventBridge event'],
    ['{"detail":{}}', 'neither a Lambda destination record nor an EventBridge event'],
  ])('calls %s unreadable', (body, reason) => {
    expect(() => lifecycleFailureOf(body)).toThrow(UnreadableFailureError)
    expect(() => lifecycleFailureOf(body)).toThrow(reason)
  })

  it('replays through the lifecycle function synchronously, and rejects with the handler’s own error', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    const lambda = mockClient(client)
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, Payload: encode({ handled: true }) as never })
      .resolvesOnce({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: encode({ errorType: 'TooManyRequestsException', errorMessage: 'Rate exceeded' }) as never,
      })
    const invoke = lambdaInvoke(client, 'regionless-lifecycle')
    expect(await invoke(event)).toEqual({ handled: true })
    const call = lambda.commandCalls(InvokeCommand)[0]?.args[0].input
    expect(call).toMatchObject({ FunctionName: 'regionless-lifecycle', InvocationType: 'RequestResponse' })
    expect(JSON.parse(new TextDecoder().decode(call?.Payload as Uint8Array))).toEqual(event)

    const failed = invoke(event)
    await expect(failed).rejects.toThrow(LifecycleInvokeError)
    await expect(failed).rejects.toThrow(
      'regionless-lifecycle failed (Unhandled): TooManyRequestsException: Rate exceeded',
    )
  })

  it('has a redrive-lifecycle command taking the queue and the function', () => {
    expect(
      parseCliArgs(['redrive-lifecycle', '--queue-url', 'https://sqs.eu-west-1.amazonaws.com/1/q', '--function', 'f']),
    ).toMatchObject({
      command: 'redrive-lifecycle',
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q',
      functionName: 'f',
    })
    expect(() => parseCliArgs(['redrive-lifecycle', '--function'])).toThrow(UsageError)
  })
})
