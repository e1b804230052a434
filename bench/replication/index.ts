// bench/replication: replication in the emulator (pools topology, two regions, the real backend handlers).
//   1. lag with healthy peers: sign-up → user in the peer (direct path, Post confirmation), and
//      attribute change → new value in the peer (CloudTrail-shaped event → lifecycle → queue → worker);
//   2. drain time after a peer outage: the peer is down for OUTAGE seconds while sign-ups continue,
//      then restored; time until its queue is empty and every user is in the peer;
//   3. throughput under a 50 RPS UserCreation quota on the peer: queued creations per second ÷ 50;
//   4. reconcile at scale (reconcile-scale.ts): 100,000 users a pool, 1 % drift of six kinds, time against the
//      ListUsers-quota floor, peak memory, repairs.
// Run: pnpm bench replication
// Knobs (env): BENCH_SIGNUPS (200), BENCH_CHANGES (100), BENCH_OUTAGE_S (60), BENCH_OUTAGE_RATE (5 sign-ups/s),
//   BENCH_QUOTA_RPS (50), BENCH_THROTTLE_MESSAGES (1000), BENCH_RECONCILE_USERS (100000), BENCH_LIST_QUOTA_RPS (30),
//   BENCH_LIST_SHARE_RPS (27), BENCH_SHARD_CONCURRENCY (4); BENCH_ONLY=lag|throttle|outage|reconcile runs one.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startEmulator } from '../../packages/emulator/src/index.js'
import { cognito, percentile, queueDepths, sleep, sqs, userCount } from './emulator-calls.js'

const root = new URL('../..', import.meta.url).pathname
// The emulator loads @regionless/backend from its build: build it so the bench runs the current code.
execFileSync('pnpm', ['build'], { cwd: join(root, 'packages/backend'), stdio: 'ignore' })
const { usernameForEmail } = await import('../../packages/backend/src/identity/stable-username.js')
const { createMessage } = await import('../../packages/backend/src/replication/message.js')

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const SIGNUPS = env('BENCH_SIGNUPS', 200)
const CHANGES = env('BENCH_CHANGES', 100)
const OUTAGE_S = env('BENCH_OUTAGE_S', 60)
const OUTAGE_RATE = env('BENCH_OUTAGE_RATE', 5)
const QUOTA = env('BENCH_QUOTA_RPS', 50)
const THROTTLE_MESSAGES = env('BENCH_THROTTLE_MESSAGES', 1000)
const run = Date.now().toString(36)
const fmt = (ms: number) => `${ms.toFixed(0)} ms`

async function lanes<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T)
    }),
  )
}

type Emulator = Awaited<ReturnType<typeof startEmulator>>
const regionsOf = (e: Emulator) =>
  e.config.regions as [Emulator['config']['regions'][0], Emulator['config']['regions'][0]]

async function signUp(region: Emulator['config']['regions'][0], email: string) {
  const out = await cognito(region.endpoint, 'SignUp', {
    ClientId: region.clientId,
    Username: usernameForEmail(email),
    Password: `Aa1!${crypto.randomUUID()}`,
    UserAttributes: [{ Name: 'email', Value: email }],
  })
  if (!out.ok) throw new Error(`SignUp: ${JSON.stringify(out.body)}`)
}

async function getAttr(region: Emulator['config']['regions'][0], username: string, name: string) {
  const out = await cognito(
    region.endpoint,
    'AdminGetUser',
    { UserPoolId: region.userPoolId, Username: username },
    true,
  )
  if (!out.ok) return undefined
  const attrs = (out.body.UserAttributes ?? []) as { Name: string; Value: string }[]
  return attrs.find((a) => a.Name === name)?.Value
}

async function lag() {
  const emulator = await startEmulator({ replication: true })
  const [eu, us] = regionsOf(emulator)
  try {
    const signUpLags: number[] = []
    const emails = Array.from({ length: SIGNUPS }, (_, i) => `lag-${i}-${run}@example.com`)
    await lanes(emails, 10, async (email) => {
      const started = performance.now()
      await signUp(eu, email)
      // The direct path has created the peer copy before SignUp answers; check, then count.
      while ((await getAttr(us, usernameForEmail(email), 'email')) === undefined) await sleep(2)
      signUpLags.push(performance.now() - started)
    })
    const changeLags: number[] = []
    await lanes(emails.slice(0, CHANGES), 5, async (email) => {
      const username = usernameForEmail(email)
      const value = `plan-${crypto.randomUUID().slice(0, 8)}`
      const started = performance.now()
      const out = await cognito(
        eu.endpoint,
        'AdminUpdateUserAttributes',
        { UserPoolId: eu.userPoolId, Username: username, UserAttributes: [{ Name: 'custom:plan', Value: value }] },
        true,
      )
      if (!out.ok) throw new Error(JSON.stringify(out.body))
      while ((await getAttr(us, username, 'custom:plan')) !== value) await sleep(5)
      changeLags.push(performance.now() - started)
    })
    console.log(`lag, healthy peers (${SIGNUPS} sign-ups, ${CHANGES} attribute changes, eu-west-1 → us-east-1)`)
    console.log(
      `  sign-up → user in peer (direct):     p50 ${fmt(percentile(signUpLags, 50))}  p95 ${fmt(percentile(signUpLags, 95))}`,
    )
    console.log(
      `  change → value in peer (via queue):  p50 ${fmt(percentile(changeLags, 50))}  p95 ${fmt(percentile(changeLags, 95))}`,
    )
  } finally {
    await emulator.close()
  }
}

async function outage() {
  const emulator = await startEmulator({
    replication: { transientBackoff: { baseSeconds: 1, maxSeconds: 10 } },
    config: { queues: { maxReceiveCount: 100, visibilityTimeoutSeconds: 5 } },
  })
  const [eu, us] = regionsOf(emulator)
  try {
    await emulator.setFault({ region: us.region, mode: 'down' })
    const total = Math.round(OUTAGE_S * OUTAGE_RATE)
    const started = performance.now()
    for (let i = 0; i < total; i++) {
      const due = started + (i / OUTAGE_RATE) * 1000
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      void signUp(eu, `outage-${i}-${run}@example.com`)
    }
    await sleep(Math.max(0, started + OUTAGE_S * 1000 - performance.now()))
    const backlog = (await queueDepths(emulator.controlUrl)).find((d) => d.region === eu.region)?.queue.total ?? 0
    const restored = performance.now()
    await emulator.setFault({ region: us.region, mode: 'healthy' })
    for (;;) {
      const depth = (await queueDepths(emulator.controlUrl)).find((d) => d.region === eu.region)
      if (depth?.queue.total === 0 && (await userCount(emulator.controlUrl, us.region)) >= total) break
      await sleep(50)
    }
    const drain = performance.now() - restored
    const dlq = (await queueDepths(emulator.controlUrl)).find((d) => d.region === eu.region)?.dlq.total
    console.log(`drain after a ${OUTAGE_S}-second outage of the peer (${total} sign-ups during it, ${OUTAGE_RATE}/s)`)
    console.log(`  backlog at restore: ${backlog} messages; drained in ${(drain / 1000).toFixed(1)} s; DLQ: ${dlq}`)
  } finally {
    await emulator.close()
  }
}

async function throttled() {
  const emulator = await startEmulator({
    replication: { throttleBackoff: { baseSeconds: 1, maxSeconds: 4 } },
    config: { queues: { maxReceiveCount: 100, visibilityTimeoutSeconds: 5 }, quotas: { userCreationRps: QUOTA } },
  })
  const [eu, us] = regionsOf(emulator)
  try {
    const q = emulator.queues.regions.find((r) => r.region === eu.region)
    if (!q) throw new Error('no queue')
    const messages = Array.from({ length: THROTTLE_MESSAGES }, (_, i) =>
      createMessage({
        kind: 'upsert',
        username: usernameForEmail(`quota-${i}-${run}@example.com`),
        attributes: { email: `quota-${i}-${run}@example.com`, email_verified: 'true' },
        sourceRegion: eu.region,
        targetRegion: us.region,
        changedAt: Date.now(),
      }),
    )
    const started = performance.now()
    for (let i = 0; i < messages.length; i += 10) {
      await sqs(emulator.queues.endpoint, 'SendMessageBatch', {
        QueueUrl: q.queueUrl,
        Entries: messages.slice(i, i + 10).map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
      })
    }
    const samples: { t: number; n: number }[] = []
    for (;;) {
      const n = await userCount(emulator.controlUrl, us.region)
      samples.push({ t: performance.now(), n })
      if (n >= THROTTLE_MESSAGES) break
      await sleep(100)
    }
    const elapsed = (performance.now() - started) / 1000
    const rate = THROTTLE_MESSAGES / elapsed
    // Steady state: the middle 80 % of the creations, away from the start-up burst and the tail.
    const from = samples.find((s) => s.n >= THROTTLE_MESSAGES * 0.1) as { t: number; n: number }
    const to = samples.find((s) => s.n >= THROTTLE_MESSAGES * 0.9) as { t: number; n: number }
    const steady = (to.n - from.n) / ((to.t - from.t) / 1000)
    console.log(
      `throughput under a ${QUOTA} RPS UserCreation quota on the peer (${THROTTLE_MESSAGES} queued creations)`,
    )
    console.log(
      `  overall ${rate.toFixed(1)} creations/s = ${((100 * rate) / QUOTA).toFixed(0)} % of the quota (${elapsed.toFixed(1)} s)`,
    )
    console.log(
      `  steady state (10 %→90 %) ${steady.toFixed(1)} creations/s = ${((100 * steady) / QUOTA).toFixed(0)} % of the quota`,
    )
  } finally {
    await emulator.close()
  }
}

const only = process.env.BENCH_ONLY
if (!only || only === 'lag') await lag()
if (!only || only === 'throttle') await throttled()
if (!only || only === 'outage') await outage()
if (!only || only === 'reconcile') await (await import('./reconcile-scale.js')).reconcileAtScale()
