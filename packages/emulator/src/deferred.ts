/**
 * A promise with its `resolve` and `reject` at hand (`Promise.withResolvers`,
 * which Node 20 lacks), plus the value once resolved, for callers that must
 * not wait for it. The first `resolve` or `reject` wins, as with a promise.
 */
export interface Deferred<T> {
  readonly promise: Promise<T>
  /** The resolved value; `undefined` until `resolve` is called. */
  readonly value: T | undefined
  resolve(value: T): void
  reject(reason: unknown): void
}

export function createDeferred<T>(): Deferred<T> {
  let settle: (value: T) => void = () => {}
  let fail: (reason: unknown) => void = () => {}
  let settled = false
  let value: T | undefined
  const promise = new Promise<T>((resolve, reject) => {
    settle = resolve
    fail = reject
  })
  return {
    promise,
    get value() {
      return value
    },
    resolve(result) {
      if (settled) return
      settled = true
      value = result
      settle(result)
    },
    reject(reason) {
      if (settled) return
      settled = true
      fail(reason)
    },
  }
}
