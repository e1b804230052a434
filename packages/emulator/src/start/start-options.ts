import { type ResolvedConfig, resolveConfig } from '../config/emulator-config.js'
import type { StartEmulatorOptions } from '../emulator-types.js'

/** What every start-up step reads: the checked config, the clock, the log and where to listen. */
export interface StartSetup {
  config: ResolvedConfig
  now: () => number
  log: (line: string) => void
  controlPort: number
  /** Region i listens on `port + 1 + i`; 0 everywhere when the port is 0 (random free ports). */
  regionPort: (index: number) => number
}

/** `startEmulator`'s options, checked: the `replication` option overrides the config file's. */
export function resolveStartOptions(options: StartEmulatorOptions): StartSetup {
  const file =
    options.replication === undefined ? options.config : { ...options.config, replication: options.replication }
  const config = resolveConfig(file, {
    ...(options.regions && { regions: options.regions }),
    ...(options.topology && { topology: options.topology }),
    ...(options.allowedOrigins && { allowedOrigins: options.allowedOrigins }),
  })
  const port = options.port ?? 0
  return {
    config,
    now: options.now ?? Date.now,
    log: options.log ?? (() => {}),
    controlPort: port,
    regionPort: (index) => (port === 0 ? 0 : port + 1 + index),
  }
}
