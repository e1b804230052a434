/**
 * Fault injection: the state a region server consults on each request.
 * Kept pure so the HTTP layer only asks "what do I do with this request?".
 */
export const FAULT_MODES = ['healthy', 'down', 'blackhole', 'slow', 'error', 'throttle'] as const
export type FaultMode = (typeof FAULT_MODES)[number]

export interface Fault {
  region: string
  mode: FaultMode
  /** Added latency for `slow` (ms). */
  latencyMs?: number
  /** Share of requests (0..1) the mode applies to; 1 when absent. */
  rate?: number
  /**
   * Cognito operations (`AdminGetUser`…) the mode applies to; every request when absent. Lets a test
   * fail one kind of call (replication's reads) while the calls that cause them still succeed.
   */
  operations?: string[]
}

export class FaultError extends Error {
  override readonly name = 'FaultError'
}

/** Validates a `POST /_regionless/faults` body against the known regions. */
export function parseFault(body: unknown, regions: readonly string[]): Fault {
  if (typeof body !== 'object' || body === null) throw new FaultError('body must be a JSON object')
  const { region, mode, latencyMs, rate, operations } = body as Record<string, unknown>
  if (typeof region !== 'string' || !regions.includes(region)) {
    throw new FaultError(`region must be one of ${regions.join(', ')}; got ${JSON.stringify(region)}`)
  }
  if (typeof mode !== 'string' || !(FAULT_MODES as readonly string[]).includes(mode)) {
    throw new FaultError(`mode must be one of ${FAULT_MODES.join(', ')}; got ${JSON.stringify(mode)}`)
  }
  if (latencyMs !== undefined && (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0)) {
    throw new FaultError('latencyMs must be a non-negative number')
  }
  if (rate !== undefined && (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))) {
    throw new FaultError('rate must be a number from 0 to 1')
  }
  if (
    operations !== undefined &&
    (!Array.isArray(operations) ||
      operations.length === 0 ||
      !operations.every((o) => typeof o === 'string' && /^[A-Za-z]+$/.test(o)))
  ) {
    throw new FaultError('operations must be a non-empty array of Cognito operation names')
  }
  // `down` closes the region's port: it cannot tell one operation from another.
  if (operations !== undefined && mode === 'down') throw new FaultError('operations cannot narrow the down mode')
  const fault: Fault = { region, mode: mode as FaultMode }
  if (latencyMs !== undefined) fault.latencyMs = latencyMs
  if (rate !== undefined) fault.rate = rate
  if (operations !== undefined) fault.operations = [...(operations as string[])]
  return fault
}

export type FaultAction =
  | { kind: 'pass' }
  | { kind: 'refuse' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  | { kind: 'error' }
  | { kind: 'throttle' }

const DEFAULT_SLOW_MS = 2_000

/**
 * Decides what happens to one request; `draw` is a uniform number in [0, 1), `operation` the Cognito
 * operation it names (`X-Amz-Target`), if any.
 */
export function actionFor(fault: Fault | undefined, draw: number, operation?: string): FaultAction {
  if (!fault || fault.mode === 'healthy') return { kind: 'pass' }
  if (fault.operations && !(operation !== undefined && fault.operations.includes(operation))) return { kind: 'pass' }
  if (draw >= (fault.rate ?? 1)) return { kind: 'pass' }
  switch (fault.mode) {
    case 'down':
      return { kind: 'refuse' }
    case 'blackhole':
      return { kind: 'hang' }
    case 'slow':
      return { kind: 'delay', ms: fault.latencyMs ?? DEFAULT_SLOW_MS }
    case 'error':
      return { kind: 'error' }
    case 'throttle':
      return { kind: 'throttle' }
  }
}
