// One way for every package's tests to capture an error they assert on. Each
// test maps what it gets to what it checks (`.code`, `.name`, the SDK's status).
import { inspect } from 'node:util'

/**
 * The error a promise rejects with, or a function throws (or rejects with, when it returns a
 * promise). Fails the test when there is none, naming what came back instead.
 *
 * @example
 * const err = await rejectionOf(verifier.verify(token))
 * expect(isTokenError(err) && err.code).toBe('TOKEN_EXPIRED')
 * expect((rejectionOf(() => parseConfig({})) as ConfigError).setting).toBe('regions')
 */
export function rejectionOf(run: PromiseLike<unknown> | (() => PromiseLike<unknown>)): Promise<unknown>
export function rejectionOf(run: () => unknown): unknown
export function rejectionOf(run: PromiseLike<unknown> | (() => unknown)): unknown {
  let outcome: unknown
  if (typeof run === 'function') {
    try {
      outcome = run()
    } catch (err) {
      return err
    }
    if (!isThenable(outcome)) throw new Error(`expected a throw, but it returned ${inspect(outcome, { depth: 2 })}`)
  } else {
    outcome = run
  }
  return Promise.resolve(outcome as PromiseLike<unknown>).then(
    (value) => {
      throw new Error(`expected a rejection, but it resolved with ${inspect(value, { depth: 2 })}`)
    },
    (err: unknown) => err,
  )
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function'
