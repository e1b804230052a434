import type { EmulatorConfig, RunningEmulator } from '../emulator-types.js'
import { type Fault, parseFault } from '../faults.js'
import type { Inbox } from '../inbox.js'
import type { ReplicationQueues } from '../replication/queues.js'
import type { ReplicationWiring } from '../replication/replication-wiring.js'

/** The handle `startEmulator` returns, over the parts it started. */
export function runningEmulator(options: {
  config: EmulatorConfig
  controlUrl: string
  queues: ReplicationQueues
  inbox: Inbox
  applyFault: (fault: Fault) => Promise<void>
  replication: ReplicationWiring | undefined
  close: () => Promise<void>
}): RunningEmulator {
  const { config, controlUrl, queues, inbox, applyFault, replication } = options
  const regionNames = config.regions.map((r) => r.region)
  return {
    config,
    controlUrl,
    inboxUrl: `${controlUrl}/inbox`,
    queues: {
      endpoint: queues.endpoint,
      regions: queues.queues.map((q) => ({ region: q.region, queueUrl: q.queueUrl, dlqUrl: q.dlqUrl })),
    },
    // Checked like the HTTP endpoint: a bad fault throws FaultError and changes nothing.
    setFault: async (fault) => applyFault(parseFault(fault, regionNames)),
    inbox: () => inbox.list(),
    ...(replication && { replication: { settled: replication.settled, tombstones: replication.tombstones } }),
    close: options.close,
  }
}
