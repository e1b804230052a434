import type { RegionPool } from '../cognito/context.js'
import type { OriginAllowList } from '../config/allowed-origins.js'
import type { ResolvedConfig } from '../config/emulator-config.js'
import type { EmulatorRegion } from '../emulator-types.js'
import type { Fault } from '../faults.js'
import type { Inbox } from '../inbox.js'
import type { ApiCall } from '../replication/cloudtrail.js'
import { type RegionServer, startRegionServer, wellKnown } from '../server/region-server.js'
import { createQuotaCheck } from '../store/quotas.js'

/**
 * One server per pool, on `port(i)`. They listen before the triggers are wired (the triggers'
 * context needs the endpoints), so every request waits for `ready`. If one cannot listen, those
 * already listening are closed.
 */
export async function startRegionServers(options: {
  pools: RegionPool[]
  config: ResolvedConfig
  ready: Promise<void>
  port: (index: number) => number
  fault: (region: string) => Fault | undefined
  onCall: (region: string, call: ApiCall) => void
  inbox: Inbox
  now: () => number
  log: (line: string) => void
  random: (() => number) | undefined
  origins: OriginAllowList
}): Promise<RegionServer[]> {
  const { inbox, now, log } = options
  const servers: RegionServer[] = []
  try {
    for (const [i, pool] of options.pools.entries()) {
      const quota = createQuotaCheck(options.config.quotas)
      servers.push(
        await startRegionServer({
          pool,
          ready: options.ready,
          port: options.port(i),
          ...(options.random && { random: options.random }),
          fault: () => options.fault(pool.region),
          onCall: (call) => options.onCall(pool.region, call),
          ...(quota && { quota }),
          origins: options.origins,
          context: () => ({ now, log, sendEmail: (message) => inbox.deliver({ ...message, region: pool.region }) }),
        }),
      )
    }
    return servers
  } catch (err) {
    await Promise.allSettled(servers.map((s) => s.close()))
    throw err
  }
}

/** The regions as clients see them (`/_regionless/config`): the pools with their servers' endpoints. */
export function describeRegions(
  config: ResolvedConfig,
  pools: RegionPool[],
  servers: RegionServer[],
): EmulatorRegion[] {
  return pools.map((pool, i) => {
    const endpoint = servers[i]?.endpoint as string
    const apiUrl = config.regions[i]?.apiUrl
    return {
      region: pool.region,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      endpoint,
      issuer: pool.issuer,
      jwksUri: `${endpoint}${wellKnown(pool.userPoolId).jwks}`,
      ...(apiUrl && { apiUrl }),
    }
  })
}
