import { RegionlessError } from './errors.js'

/**
 * One HTTP exchange under a deadline, shared by the Cognito transport and
 * `client.fetchApi`. `read` runs before the deadline is lifted, so a body that
 * stalls times out too. A failure becomes an outage error (`TIMEOUT` or
 * `NETWORK`) naming `label` and `region`; the caller's own abort
 * (`init.signal`) passes through unchanged.
 */
export async function fetchWithin<T>(
  fetch: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  label: string,
  region: string,
  read: (response: Response) => T | Promise<T>,
): Promise<T> {
  const { signal } = init
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), timeoutMs)
  const onAbort = () => deadline.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort)
  try {
    return await read(await fetch(url, { ...init, signal: deadline.signal }))
  } catch (err) {
    if (signal?.aborted) throw err
    const code = deadline.signal.aborted ? 'TIMEOUT' : 'NETWORK'
    throw new RegionlessError(code, `${label} in ${region}: ${code}`, { cause: err, region })
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}
