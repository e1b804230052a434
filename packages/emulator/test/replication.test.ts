import { usernameForEmail } from '@regionless/backend'
import { describe, expect, it } from 'vitest'
// The operators' CLI in-process (the `regionless-backend` bin); not part of the package's exports.
import { runCli } from '../../backend/src/replication/cli.js'
import type { EmulatorRegion, RunningEmulator } from '../src/index.js'
import {
  type AdminAction,
  accountDeletion,
  adminOnce,
  drained,
  injectPoison,
  type PoolUser,
  poolUsers,
  seeded,
  signUpOnce,
  sleep,
  startChaos,
  startReplicated,
  userIn,
} from './helpers/replication.js'

interface Expected {
  email: string
  attributes: Record<string, string>
  enabled: boolean
  deleted: boolean
}

/** Runs `fn` over `items`, `width` at a time. */
async function lanes<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++
        await fn(items[i] as T, i)
      }
    }),
  )
}

/** Retries one operation in random regions until a region takes it (faults and lag make some attempts fail). */
async function untilDone(
  random: ReturnType<typeof seeded>,
  regions: EmulatorRegion[],
  op: (r: EmulatorRegion) => Promise<boolean | string>,
) {
  // Time-bound, not count-bound: a region can stay unreachable for a while under the chaos.
  const deadline = Date.now() + 25_000
  let last: boolean | string = false
  while (Date.now() < deadline) {
    last = await op(random.pick(regions))
    if (last === true) return
    await sleep(40)
  }
  throw new Error(`an operation never succeeded (last: ${String(last)})`)
}

/**
 * Once the faults stop: the queues drained, and the lifecycle events that failed all three tries while a
 * region was faulted (kept in its lifecycle-failures queue, as Lambda's on-failure destination does)
 * replayed as the runbook says, until none is left.
 */
async function converge(emulator: RunningEmulator, regions: string[]) {
  let depths = await drained(emulator)
  for (let round = 0; depths.some((d) => d.lifecycleFailures.total > 0); round++) {
    if (round === 3) throw new Error('lifecycle failures still left after three redrives')
    for (const d of depths.filter((x) => x.lifecycleFailures.total > 0)) {
      const out: string[] = []
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {}, fetch }
      const argv = ['redrive-lifecycle', '--emulator', emulator.controlUrl, '--region', d.region]
      expect(await runCli(argv, io), out.join('\n')).toBe(0)
    }
    depths = await drained(emulator)
  }
  const pools = await Promise.all(regions.map((r) => poolUsers(emulator, r)))
  return { depths, pools }
}

const sorted = (users: Map<string, PoolUser>) =>
  [...users.values()].sort((a, b) => a.username.localeCompare(b.username))

describe.each([
  { regions: ['eu-west-1', 'us-east-1'], signUps: 140 },
  { regions: ['eu-west-1', 'us-east-1', 'ap-south-1'], signUps: 120 },
])('replication across $regions.length pools', ({ regions, signUps }) => {
  it(`${signUps} sign-ups, changes and deletes through random faults end with identical pools`, {
    timeout: 80_000,
  }, async () => {
    const seed = Number(process.env.REPLICATION_SEED ?? Math.floor(Math.random() * 1e9))
    const random = seeded(seed)
    const emulator = await startReplicated(regions)
    const all = emulator.config.regions
    try {
      const chaos = startChaos(emulator, random)
      const expected = new Map<string, Expected>()
      const poison = new Map<string, number>()
      const emails = Array.from({ length: signUps }, (_, i) => `r${regions.length}-${i}-${seed}@example.com`)
      // Same person, two regions, same moment: must end as one identity.
      const twins = emails.slice(0, 4)

      await lanes(emails, 8, async (email, i) => {
        if (i % 30 === 7) {
          const region = random.pick(regions)
          const body = i % 60 === 7 ? '{"v":1,"kind":"upsert"' : JSON.stringify({ v: 2, kind: 'merge', username: 'x' })
          await injectPoison(emulator, region, body)
          poison.set(region, (poison.get(region) ?? 0) + 1)
        }
        if (twins.includes(email)) {
          const outcomes = await Promise.all([
            signUpOnce(all[0] as EmulatorRegion, email),
            signUpOnce(all[1] as EmulatorRegion, email),
          ])
          if (!outcomes.includes('ok') && !outcomes.includes('exists')) {
            await untilDone(random, all, async (r) => (await signUpOnce(r, email)) !== 'failed')
          }
        } else {
          await untilDone(random, all, async (r) => (await signUpOnce(r, email)) !== 'failed')
        }
        expected.set(usernameForEmail(email), {
          email,
          attributes: { email, email_verified: 'true' },
          enabled: true,
          deleted: false,
        })
      })

      // Lifecycle: attribute and email changes, disables, deletes, each in whichever region answers.
      const twinNames = new Set(twins.map((e) => usernameForEmail(e)))
      const targets = [...expected.keys()].filter((u) => !twinNames.has(u))
      await lanes(targets.slice(0, 60), 8, async (username, i) => {
        const user = expected.get(username) as Expected
        const steps: AdminAction[] = []
        if (i % 3 !== 2) steps.push({ kind: 'update', attributes: { 'custom:plan': `plan-${i}` } })
        if (i % 5 === 0)
          steps.push({
            kind: 'update',
            attributes: { email: `moved-${i}-${seed}@example.com`, email_verified: 'true' },
          })
        if (i % 4 === 1) steps.push({ kind: 'disable' })
        // Half the deletes are an administrator's (one region, replicated), half the person's own
        // (createAccountDeletion: every pool at once, queued for the ones that do not answer).
        const leaves = i % 3 === 2
        if (leaves && i % 2 === 0) steps.push({ kind: 'delete' })
        // One user's edits go to one region (edits of one user in two regions at once are the conflict test's).
        const home = [random.pick(all)]
        for (const [n, step] of steps.entries()) {
          let answerLost = false
          // The first step waits until the user has a copy in this region, complete or not (an edit racing a retry
          // of the creation is part of the test), so that "not found" after a lost delete answer proves the delete.
          let present = n > 0
          await untilDone(random, home, async (r) => {
            if (!present) {
              const seen = await userIn(r, username)
              if (seen !== true) return seen === false ? `${username} not in ${r.region} yet` : seen
              present = true
            }
            const outcome = await adminOnce(r, username, step)
            // A delete whose answer was lost (the region went down mid-call) shows up as "not found" next time.
            if (step.kind === 'delete' && answerLost && String(outcome).endsWith('UserNotFoundException')) return true
            if (outcome !== true && !/Exception$/.test(outcome)) answerLost = true
            return outcome
          })
          if (step.kind === 'update') Object.assign(user.attributes, step.attributes)
          if (step.kind === 'disable') user.enabled = false
          if (step.kind === 'delete') user.deleted = true
        }
        if (leaves && i % 2 === 1) {
          // Never fails while the queue answers: pools that time out get their delete queued.
          await accountDeletion(emulator, home[0]!.region)(username)
          user.deleted = true
        }
      })
      await chaos.stop()
      expect([...chaos.seen].sort()).toEqual(['blackhole', 'down', 'error', 'throttle'])

      const { depths, pools } = await converge(emulator, regions)
      const [first, ...rest] = pools as [Map<string, PoolUser>, ...Map<string, PoolUser>[]]
      // Every pool holds exactly the same users: usernames, attributes (bookkeeping stamps included), enabled state.
      for (const other of rest) {
        const extra = [...other.keys()].filter((u) => !first.has(u))
        const missing = [...first.keys()].filter((u) => !other.has(u))
        expect({ extra, missing }).toEqual({ extra: [], missing: [] })
        expect(sorted(other)).toEqual(sorted(first))
      }
      const alive = [...expected].filter(([, e]) => !e.deleted)
      expect(new Set(first.keys())).toEqual(new Set(alive.map(([u]) => u)))
      for (const [username, e] of alive) {
        const user = first.get(username)
        expect({ username, ...user?.attributes, enabled: user?.enabled, status: user?.status }).toMatchObject({
          username,
          ...e.attributes,
          enabled: e.enabled,
          status: 'CONFIRMED',
        })
      }
      // No identity twice: one user per email, the twins included.
      const emailsInPool = sorted(first).map((u) => u.attributes.email)
      expect(new Set(emailsInPool).size).toBe(emailsInPool.length)
      for (const twin of twins) expect(first.get(usernameForEmail(twin))?.attributes.email).toBe(twin)
      // The DLQs hold exactly the poison the test injected.
      for (const d of depths)
        expect({ region: d.region, dlq: d.dlq.total }).toEqual({ region: d.region, dlq: poison.get(d.region) ?? 0 })
    } catch (err) {
      throw new Error(`replication run failed (replay with REPLICATION_SEED=${seed}): ${(err as Error).message}`, {
        cause: err,
      })
    } finally {
      await emulator.close()
    }
  })
})
