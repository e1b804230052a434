import { randomUUID } from 'node:crypto'
import type { CognitoApiCallEvent } from './cloudtrail-event.js'

/**
 * A message of the lifecycle-failures queue that holds no lifecycle event:
 * not JSON, or neither of the two shapes below. Redrive leaves it in place.
 */
export class UnreadableFailureError extends Error {
  override readonly name = 'UnreadableFailureError'
}

/** One message of the lifecycle-failures queue, read. */
export interface LifecycleFailure {
  /** The EventBridge event to hand the lifecycle handler again. */
  event: CognitoApiCallEvent
  /** Who put it there: Lambda after its retries, or EventBridge that could not deliver it. */
  from: 'lambda' | 'eventbridge'
  /** What the last try said, when the record tells (Lambda's `responsePayload.errorMessage`). */
  lastError?: string
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isEvent = (value: unknown): value is CognitoApiCallEvent =>
  isObject(value) && typeof value['detail-type'] === 'string' && isObject(value.detail)

/**
 * Reads a failures-queue message body. The queue gets two shapes: Lambda's
 * on-failure destination record (the event under `requestPayload`, the
 * error under `responsePayload`), and, from the rule's dead-letter queue,
 * the EventBridge event itself. Throws {@link UnreadableFailureError}.
 *
 * @example
 * lifecycleFailureOf('{"requestContext":{…},"requestPayload":{"detail-type":…},"responsePayload":{…}}')
 * // { event: { 'detail-type': …, detail: … }, from: 'lambda', lastError: '…' }
 */
export function lifecycleFailureOf(body: string): LifecycleFailure {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new UnreadableFailureError('body is not JSON')
  }
  if (isObject(value) && 'requestPayload' in value) {
    if (!isEvent(value.requestPayload)) {
      throw new UnreadableFailureError('the destination record’s requestPayload is not an EventBridge event')
    }
    const response = isObject(value.responsePayload) ? value.responsePayload : {}
    const lastError = [response.errorType, response.errorMessage].filter((p) => typeof p === 'string').join(': ')
    return { event: value.requestPayload, from: 'lambda', ...(lastError && { lastError }) }
  }
  if (isEvent(value)) return { event: value, from: 'eventbridge' }
  throw new UnreadableFailureError('neither a Lambda destination record nor an EventBridge event')
}

/**
 * The record Lambda's on-failure destination sends after the last retry
 * (the emulator writes the same shape, so one redrive reads both).
 */
export function destinationRecord(options: {
  event: CognitoApiCallEvent
  functionArn: string
  attempts: number
  error: Error
  now: number
}) {
  return {
    version: '1.0',
    timestamp: new Date(options.now).toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: options.functionArn,
      condition: 'RetriesExhausted',
      approximateInvokeCount: options.attempts,
    },
    requestPayload: options.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: options.error.name, errorMessage: options.error.message },
  }
}
