import type { Fault } from '../faults.js'

/** The part of a region server a fault reaches beyond the per-request check. */
interface Listener {
  setDown(down: boolean): Promise<void>
}

/**
 * Returns `applyFault`: it records the fault in force in its region (`faults`, which the region
 * servers read on every request and the control server lists) and, for `down` at rate 1, stops
 * that region's listener so clients see refused connections; `healthy` clears it. The fault is
 * checked already (`parseFault`).
 */
export function createFaultSwitch(options: {
  faults: Map<string, Fault>
  listeners: ReadonlyMap<string, Listener>
  log: (line: string) => void
}): (fault: Fault) => Promise<void> {
  const { faults, log } = options
  return async (fault) => {
    if (fault.mode === 'healthy') faults.delete(fault.region)
    else faults.set(fault.region, fault)
    await options.listeners.get(fault.region)?.setDown(fault.mode === 'down' && (fault.rate ?? 1) >= 1)
    log(`[fault] ${fault.region} → ${fault.mode}${fault.rate !== undefined ? ` rate=${fault.rate}` : ''}`)
  }
}
