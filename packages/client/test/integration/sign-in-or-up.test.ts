// `signIn({ createAccount: true })` — what the drop-in component calls on a click —
// against the real emulator with replication, for a new and an existing user,
// with the home region (replicas: the primary) in every fault mode.
import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AuthClient, createAuthClient, memoryStorage } from '../../src/index.js'
import { freshEmail, REGIONS } from '../helpers/emulator-world.js'
import { until } from '../helpers/until.js'

const [HOME, PEER] = REGIONS as [string, string]

type Cell = { mode: string; latencyMs?: number; rate?: number }
const CELLS: Record<string, Cell> = {
  down: { mode: 'down' },
  blackhole: { mode: 'blackhole' },
  slow: { mode: 'slow', latencyMs: 1_500 },
  error: { mode: 'error' },
  throttle: { mode: 'throttle' },
  flapping: { mode: 'error', rate: 0.5 },
}
// Replicas: sign-up needs the primary; while it refuses, hangs or throttles, a new user is told.
const PRIMARY_OUT = ['down', 'blackhole', 'error', 'throttle']

// A fault cell signs two users in through a faulted home (time-outs, hedges, 1.5 s latencies): up to
// 7 s on an idle machine, budgeted for a busy 2-core one.
describe.each(['pools', 'replicas'] as const)(
  'sign-in or sign-up in one call (%s)',
  { timeout: 45_000 },
  (topology) => {
    let emu: RunningEmulator
    const clients: AuthClient[] = []
    // Which requests a flapping fault hits: a seeded generator (mulberry32), so no run is luckier than another.
    let seed = 42
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
    }
    beforeAll(async () => {
      emu = await startEmulator({
        port: 0,
        topology,
        replication: topology === 'pools',
        random,
      })
    })
    afterAll(async () => {
      for (const c of clients) c.destroy()
      await emu.close()
    })
    afterEach(() => emu.setFault({ region: HOME, mode: 'healthy' }))

    // A page load with nothing remembered; short time-outs keep black-hole cells quick.
    const freshClient = () => {
      const c = createAuthClient({ ...emu.config, storage: memoryStorage(), timeoutMs: 2_000, bridge: 'off' })
      clients.push(c)
      return c
    }
    const mails = (email: string) => emu.inbox().filter((m) => m.to === email)
    const usersIn = async (region: string) =>
      (await (await fetch(`${emu.controlUrl}/_regionless/users?region=${region}`)).json()) as Array<{
        attributes: Record<string, string>
      }>
    const inPeer = async (email: string) => (await usersIn(PEER)).some((u) => u.attributes.email === email)

    async function existingUser() {
      const email = freshEmail()
      await freshClient().signUp({ email })
      // Pools: the Post confirmation trigger copied it during the sign-up, or queued the copy (await the
      // queues then, a former test's backlog included); replicas: the replica feed copies it after the lag.
      if (!(await inPeer(email))) await (topology === 'pools' ? emu.replication!.drained() : emu.replicas!.settled())
      expect(await inPeer(email)).toBe(true)
      return email
    }

    // The code the user waits for: the newest email after `since` (long-poll on the inbox),
    // once the client shows the challenge it belongs to (a person reads it seconds later).
    async function codeFor(client: AuthClient, email: string, since: number) {
      const query = new URLSearchParams({ to: email, since: String(since), wait: '10000' })
      const [mail] = (await (await fetch(`${emu.controlUrl}/_regionless/inbox?${query}`)).json()) as Array<{
        code?: string
        region: string
      }>
      if (!mail?.code) throw new Error(`no code for ${email}`)
      await until(client, () => client.getSnapshot().challenge?.region === mail.region)
      return mail.code
    }

    async function signsIn(email: string) {
      const client = freshClient()
      const since = Date.now() - 1
      const challenge = await client.signIn({ email, method: 'code', createAccount: true })
      expect(client.getSnapshot().status).toBe('awaiting-code')
      expect(challenge.email).toBe(email)
      const session = await client.answer(await codeFor(client, email, since))
      expect(session.email).toBe(email)
      expect(mails(email).filter((m) => Date.parse(m.sentAt) >= since)).toHaveLength(1)
      return { client, challenge }
    }

    it.each(Object.keys(CELLS))('home %s: an existing user and a new user both sign in', async (name) => {
      const existing = await existingUser()
      await emu.setFault({ region: HOME, ...CELLS[name]! } as Parameters<RunningEmulator['setFault']>[0])
      await signsIn(existing)
      if (topology === 'pools' || !PRIMARY_OUT.includes(name)) {
        const { client } = await signsIn(freshEmail())
        expect(client.getSnapshot().session).not.toBeNull()
      } else {
        // A new user cannot be created now: told so (in words an existing user sees too), and no email.
        const email = freshEmail()
        const client = freshClient()
        await client.signIn({ email, method: 'code', createAccount: true })
        await until(client, () => client.getSnapshot().challenge?.signUpUnavailable === true)
        expect(mails(email)).toHaveLength(0)
      }
    })

    it('every region down: a clear error in the state, the form usable, and a retry that works once a region is back', async () => {
      const email = await existingUser()
      for (const region of REGIONS) await emu.setFault({ region, mode: 'down' })
      const client = freshClient()
      await expect(client.signIn({ email, method: 'code', createAccount: true })).rejects.toMatchObject({
        code: 'ALL_REGIONS_DOWN',
      })
      const { status, error } = client.getSnapshot()
      expect(status).toBe('signed-out')
      expect(error?.retryAfterSeconds).toBeGreaterThan(0)
      await emu.setFault({ region: PEER, mode: 'healthy' })
      await emu.setFault({ region: HOME, mode: 'healthy' })
      // The breakers are open: the retry after their cool-down is what the UI offers; a new page retries at once.
      await signsIn(email)
    })

    it('a double click sends one email and shows no error', async () => {
      const email = freshEmail()
      const client = freshClient()
      const since = Date.now() - 1
      const [a, b] = await Promise.all([
        client.signIn({ email, method: 'code', createAccount: true }),
        client.signIn({ email, method: 'code', createAccount: true }),
      ])
      expect(a).toBe(b)
      expect(client.getSnapshot().error).toBeNull()
      await client.answer(await codeFor(client, email, since))
      expect(mails(email)).toHaveLength(1)
    })
  },
)
