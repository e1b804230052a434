// Reconcile at scale: N users per pool seeded in bulk, 1 % drift of every kind, reconciled under Cognito's
// ListUsers (30 RPS) and UserCreation (50 RPS) quotas as the emulator models them. The reconcile runs in a
// child process (packages/backend/bench/reconcile-child.ts) so its peak memory is measured alone.
import { execFile, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startEmulator } from '../../packages/emulator/src/index.js'

const root = new URL('../..', import.meta.url).pathname
const { usernameForEmail } = await import('../../packages/backend/src/identity/stable-username.js')
const { CHANGED_AT_ATTRIBUTE, ENABLED_AT_ATTRIBUTE, versionStamp } = await import(
  '../../packages/backend/src/replication/attributes.js'
)

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const USERS = env('BENCH_RECONCILE_USERS', 100_000)
const LIST_QUOTA = env('BENCH_LIST_QUOTA_RPS', 30)
const CREATE_QUOTA = env('BENCH_CREATE_QUOTA_RPS', 50)
// Reconcile's share: 90 % of the quota, the rest left to the app (as a deployment would).
const SHARE = env('BENCH_LIST_SHARE_RPS', Math.floor(LIST_QUOTA * 0.9))
const LANES = env('BENCH_SHARD_CONCURRENCY', 4)
// Unset: chosen from the pool size, as a deployment would.
const DEPTH = process.env.BENCH_SHARD_DEPTH ? Number(process.env.BENCH_SHARD_DEPTH) : undefined

type Seed = {
  username: string
  attributes: Record<string, string>
  enabled?: boolean
  status?: 'FORCE_CHANGE_PASSWORD'
}

const stamped = (at: number, attributes: Record<string, string>) => ({
  ...attributes,
  [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
})

/** Both pools' users and the tombstones: equal copies, then 1 % of the users drifted in each of six ways. */
export function driftedPools(users: number) {
  const t0 = 1_700_000_000_000
  const t1 = t0 + 60_000
  const k = Math.floor(users / 100)
  const eu: Seed[] = []
  const us: Seed[] = []
  const tombstones: { username: string; at: number }[] = []
  for (let i = 0; i < users; i++) {
    const username = usernameForEmail(`scale-${i}@example.com`)
    const base = { email: `scale-${i}@example.com`, email_verified: 'true', 'custom:plan': 'free' }
    const same = { username, attributes: stamped(t0, base) }
    const kind = Math.floor(i / k)
    switch (kind) {
      case 0: // created in eu, lost on its way to us
        eu.push(same)
        break
      case 1: // a newer version in us
        eu.push(same)
        us.push({ username, attributes: stamped(t1, { ...base, 'custom:plan': 'pro' }) })
        break
      case 2: // disabled in eu later, the disable lost
        eu.push({ ...same, enabled: false, attributes: { ...same.attributes, [ENABLED_AT_ATTRIBUTE]: String(t1) } })
        us.push(same)
        break
      case 3: // deleted in us after its last change (a tombstone), the delete lost in eu
        eu.push(same)
        tombstones.push({ username, at: t1 })
        break
      case 4: // edited in eu after its stamp, the edit's lifecycle event lost
        eu.push({ username, attributes: { ...same.attributes, 'custom:plan': 'edited' } })
        us.push(same)
        break
      case 5: // a copy whose creation stopped half-way in us
        eu.push(same)
        us.push({ ...same, status: 'FORCE_CHANGE_PASSWORD' })
        break
      default:
        eu.push(same)
        us.push(same)
    }
  }
  // Repairs expected: one per drifted user, two for the unstamped edit (both copies get the new stamp).
  return { eu, us, tombstones, expectedRepairs: 7 * k }
}

/** Runs the reconcile child; asynchronously, since the emulator answering it lives in this process. */
async function child(job: unknown) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages/backend/bench/reconcile-child.ts'), JSON.stringify(job)],
    { cwd: root, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1) as string)
}

export async function reconcileAtScale() {
  const emulator = await startEmulator({
    config: { quotas: { userListRps: LIST_QUOTA, userCreationRps: CREATE_QUOTA } },
  })
  try {
    const [eu, us] = emulator.config.regions as [
      (typeof emulator.config.regions)[0],
      (typeof emulator.config.regions)[0],
    ]
    const pools = driftedPools(USERS)
    const seeding = performance.now()
    await emulator.seedUsers(eu.region, pools.eu)
    await emulator.seedUsers(us.region, pools.us)
    const seeded = (performance.now() - seeding) / 1000
    const job = {
      pools: [eu, us].map((r) => ({ region: r.region, userPoolId: r.userPoolId, endpoint: r.endpoint })),
      tombstones: pools.tombstones,
      listUsersRps: SHARE,
      shardConcurrency: LANES,
      ...(DEPTH && { shardDepth: DEPTH }),
    }
    const run = await child({ ...job, dryRun: false })
    const check = await child({ ...job, dryRun: true })
    const floor = USERS / 60 / LIST_QUOTA
    console.log(
      `reconcile at scale: ${USERS.toLocaleString('en')} users a pool, 1 % drift of six kinds, ListUsers quota ${LIST_QUOTA} RPS (share ${SHARE}), UserCreation ${CREATE_QUOTA} RPS`,
    )
    console.log(`  seeded both pools in ${seeded.toFixed(1)} s (bulk path, no triggers)`)
    console.log(
      `  ${run.shards} shards (depth ${run.depth}), ${LANES} at a time; repairs ${run.applied} of ${run.planned} planned (expected ${pools.expectedRepairs}), failed ${run.failed}`,
    )
    console.log(`  by reason: ${JSON.stringify(run.byReason)}`)
    console.log(
      `  time ${run.seconds.toFixed(1)} s = ${(run.seconds / floor).toFixed(2)} × the ListUsers floor (${USERS} ÷ 60 ÷ ${LIST_QUOTA} = ${floor.toFixed(1)} s)`,
    )
    console.log(`  peak RSS of the reconcile process: ${run.peakRssMb.toFixed(0)} MB`)
    console.log(
      `  a second run (dry) plans ${check.planned} repairs: ${check.planned === 0 ? 'every drift repaired' : 'DRIFT LEFT'}`,
    )
    if (check.planned !== 0 || run.failed) process.exitCode = 1
  } finally {
    await emulator.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  execFileSync('pnpm', ['build'], { cwd: join(root, 'packages/backend'), stdio: 'ignore' })
  await reconcileAtScale()
}
