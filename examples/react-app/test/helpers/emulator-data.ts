// What browser tests and benches put into the emulator and read from it:
// existing users (created the way an earlier sign-up would have, then present
// in every region) and emails. Relative imports, so the benches (plain tsx,
// no test aliases) can use it too.
import { createAuthClient, memoryStorage } from '../../../../packages/client/src/index.js'

/** An email as the emulator's inbox (`GET /_regionless/inbox`) lists it. */
export interface Mail {
  to: string
  region: string
  code?: string
  link?: string
  sentAt: string
}

type Config = Parameters<typeof createAuthClient>[0] & { regions: Array<{ region: string }> }

/**
 * Signs `emails` up at the emulator's first region (replicas: the primary)
 * while every region is healthy, awaits `replicated` (the emulator's
 * `replication.drained()` in pools, `replicas.settled()` in replicas), then
 * checks that every other region has them.
 */
export async function createUsersEverywhere(
  controlUrl: string,
  emails: string[],
  replicated: () => Promise<void>,
): Promise<void> {
  const get = async <T>(path: string) => (await (await fetch(new URL(path, controlUrl))).json()) as T
  const config = await get<Config>('/_regionless/config')
  const [home, ...others] = config.regions.map((r) => r.region)
  const client = createAuthClient({ ...config, homeRegion: home, storage: memoryStorage(), bridge: 'off' })
  for (let i = 0; i < emails.length; i += 10) {
    await Promise.all(emails.slice(i, i + 10).map((email) => client.signUp({ email })))
  }
  client.destroy()
  await replicated()
  for (const region of others) {
    const users = await get<Array<{ attributes: { email?: string } }>>(`/_regionless/users?region=${region}`)
    const there = new Set(users.map((u) => u.attributes.email))
    const missing = emails.filter((e) => !there.has(e))
    if (missing.length) throw new Error(`replication done, yet not in ${region}: ${missing.join(', ')}`)
  }
}

/** What `replicated` awaits for an in-process emulator of either topology. */
export const replicatedIn =
  (emulator: { replication?: { drained(): Promise<void> }; replicas?: { settled(): Promise<void> } }) =>
  async (): Promise<void> => {
    if (emulator.replication) await emulator.replication.drained()
    else if (emulator.replicas) await emulator.replicas.settled()
    else throw new Error('the emulator copies no users between regions: start it with replication on')
  }
