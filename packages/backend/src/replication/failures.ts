import { PoisonMessageError } from './message.js'

/**
 * How the worker treats a failure:
 * - `throttled`: the peer's quota is spent; retry after an exponential delay;
 * - `transient`: network, 5xx, time-out, anything unexpected; retry, and SQS
 *   moves the message to the DLQ after `maxReceiveCount` receives;
 * - `poison`: the message itself can never apply; it fails every time so that
 *   it reaches the DLQ, and is logged as poison.
 */
export type FailureClass = 'throttled' | 'transient' | 'poison'

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'LimitExceededException',
])

/** The error's AWS name (`__type` as the SDK exposes it in `name`), also across realms. */
export function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return typeof err
  const { name, code } = err as { name?: unknown; code?: unknown }
  return typeof name === 'string' && name !== 'Error' ? name : typeof code === 'string' ? code : 'Error'
}

/** Classifies a failure; unknown errors are transient, since failing again is always safe. */
export function classifyFailure(err: unknown): FailureClass {
  if (err instanceof PoisonMessageError || errorName(err) === 'PoisonMessageError') return 'poison'
  if (THROTTLING.has(errorName(err))) return 'throttled'
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
  if (status === 429) return 'throttled'
  return 'transient'
}

/** A short, secret-free description for logs: the error name and the first line of its message. */
export function describeFailure(err: unknown): string {
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
  return `${errorName(err)}: ${message.slice(0, 200)}`
}

/**
 * Seconds to hide a failed message before its next attempt: exponential in
 * the receive count, capped, with jitter so that a burst of throttled messages
 * does not come back all at once.
 *
 * @example
 * backoffSeconds(3, { baseSeconds: 2, maxSeconds: 300 }) // 8 (± jitter up to 25 %)
 */
export function backoffSeconds(
  receiveCount: number,
  options: { baseSeconds: number; maxSeconds: number },
  random: () => number = Math.random,
): number {
  const attempt = Math.max(1, Math.floor(receiveCount) || 1)
  const raw = Math.min(options.maxSeconds, options.baseSeconds * 2 ** (attempt - 1))
  const jittered = raw * (1 + 0.25 * random())
  return Math.max(0, Math.min(43_200, Math.min(options.maxSeconds, Math.round(jittered))))
}

/**
 * Sends one SDK command bounded by `signal`: passed to the SDK (which aborts
 * the HTTP request) and also raced here, so the caller is released on time
 * even by a client that ignores the signal.
 */
export function sendBounded<T>(
  client: { send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown> },
  command: unknown,
  signal: AbortSignal,
): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'))
    signal.addEventListener('abort', onAbort, { once: true })
    client.send(command as never, { abortSignal: signal }).then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value as T)
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}
