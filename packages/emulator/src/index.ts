export type { Fault, FaultAction, FaultMode } from './faults.js'
export { actionFor, FAULT_MODES, FaultError, parseFault } from './faults.js'
