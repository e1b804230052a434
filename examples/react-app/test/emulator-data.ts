// What browser tests and benches put into the emulator and read from it:
// existing users (created the way an earlier sign-up would have, then present
// in every region) and emails. Relative imports, so the benches (plain tsx,
// no test aliases) can use it too.
import { createAuthClient, memoryStorage } from '../../../packages/client/src/index.js'

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
 * while every region is healthy, and waits until every other region has them:
 * through the backend's replication (`settled`, pools) or after the replicas'
 * lag. Polls the emulator's user list: no event says "replicated".
 */
export async function createUsersEverywhere(
  controlUrl: string,
  emails: string[],
  settled?: () => Promise<void>,
): Promise<void> {
  const get = async <T>(path: string) => (await (await fetch(new URL(path, controlUrl))).json()) as T
  const config = await get<Config>('/_regionless/config')
  const [home, ...others] = config.regions.map((r) => r.region)
  const client = createAuthClient({ ...config, homeRegion: home, storage: memoryStorage(), bridge: 'off' })
  for (let i = 0; i < emails.length; i += 10) {
    await Promise.all(emails.slice(i, i + 10).map((email) => client.signUp({ email })))
  }
  client.destroy()
  await settled?.()
  for (const region of others) {
    for (let polls = 0; ; polls++) {
      const users = await get<Array<{ attributes: { email?: string } }>>(`/_regionless/users?region=${region}`)
      const there = new Set(users.map((u) => u.attributes.email))
      if (emails.every((e) => there.has(e))) break
      if (polls === 200) throw new Error(`users not in ${region} after 10 s: ${emails.filter((e) => !there.has(e))}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}
