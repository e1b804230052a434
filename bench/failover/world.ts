// The world a failover bench runs in: the emulator of one topology, the
// example API of each region, the client configuration a page would load,
// fault injection and the inbox.
import { loadPoolsFromEmulator, startExampleApi } from '../../examples/api/src/server.js'
import { createUsersEverywhere, type Mail, replicatedIn } from '../../examples/react-app/test/helpers/emulator-data.js'
import type { createAuthClient } from '../../packages/client/src/index.js'
import { startEmulator } from '../../packages/emulator/src/index.js'
import { PAGE_ORIGIN } from './page-fetch.js'

export type Topology = 'pools' | 'replicas'
export type Mode = 'healthy' | 'down' | 'blackhole' | 'slow' | 'error' | 'throttle' | 'flapping'

/** One fault mode as the emulator takes it; `flapping` is `error` on half the requests. */
export const FAULTS: Record<Mode, { mode: string; latencyMs?: number; rate?: number }> = {
  healthy: { mode: 'healthy' },
  down: { mode: 'down' },
  blackhole: { mode: 'blackhole' },
  slow: { mode: 'slow', latencyMs: 3_000 },
  error: { mode: 'error' },
  throttle: { mode: 'throttle' },
  flapping: { mode: 'error', rate: 0.5 },
}

export type ClientConfig = Parameters<typeof createAuthClient>[0]

export interface World {
  topology: Topology
  /** Pools: the home region; replicas: the primary. */
  home: string
  peer: string
  /** What a page would pass to createAuthClient (the emulator's config with each region's API). */
  config: ClientConfig
  setFault(region: string, mode: Mode): Promise<void>
  /** Waits up to `waitMs` for an email to `to` sent at or after `since`; null when none came (or on `signal`). */
  waitForMail(to: string, since: number, waitMs: number, signal?: AbortSignal): Promise<Mail | null>
  /** Every email to `to` sent at or after `since`. */
  mails(to: string, since: number): Promise<Mail[]>
  /** Creates users in every region (replicated), the way an earlier sign-up would have. */
  createUsers(emails: string[]): Promise<void>
  close(): Promise<void>
}

export async function startWorld(topology: Topology): Promise<World> {
  const emu = await startEmulator({ port: 0, topology, ...(topology === 'pools' && { replication: true }) })
  const pools = await loadPoolsFromEmulator(emu.controlUrl)
  const regions = emu.config.regions.map((r) => r.region)
  const apis = await Promise.all(
    regions.map((region) => startExampleApi({ region, pools, allowedOrigins: [PAGE_ORIGIN] })),
  )
  const config: ClientConfig = {
    ...emu.config,
    regions: emu.config.regions.map((r, i) => ({ ...r, apiUrl: apis[i]!.url })),
    // The page a link leads back to (allow-listed by the emulator's triggers); in a browser, the current page.
    redirectUri: `${PAGE_ORIGIN}/`,
  }
  const [home, peer] = regions as [string, string]
  const control = (path: string, init?: RequestInit) => fetch(new URL(path, emu.controlUrl), init)

  async function inbox(to: string, since: number, waitMs: number, signal?: AbortSignal): Promise<Mail[]> {
    const query = new URLSearchParams({ to, since: String(since), wait: String(waitMs) })
    return (await (await control(`/_regionless/inbox?${query}`, { signal })).json()) as Mail[]
  }

  return {
    topology,
    home,
    peer,
    config,
    async setFault(region, mode) {
      const res = await control('/_regionless/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ region, ...FAULTS[mode] }),
      })
      if (!res.ok) throw new Error(`fault ${region} ${mode}: HTTP ${res.status}`)
    },
    async waitForMail(to, since, waitMs, signal) {
      try {
        // Newest first: the last one is the first email sent since `since`.
        return (await inbox(to, since, waitMs, signal)).at(-1) ?? null
      } catch (err) {
        if (signal?.aborted) return null
        throw err
      }
    },
    mails: (to, since) => inbox(to, since, 0),
    createUsers: (emails) => createUsersEverywhere(emu.controlUrl, emails, replicatedIn(emu)),
    async close() {
      await Promise.all(apis.map((api) => api.close()))
      await emu.close()
    },
  }
}
