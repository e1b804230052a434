// Failover latency of @regionless/client against the emulator.
//
// Reports, as added latency over a healthy baseline measured in the same run,
// the duration of client.signIn() (InitiateAuth + method step, which sends the
// code) for a client that has just started (no health remembered):
//   - home region `down` (connection refused)      aim ≤ 100 ms
//   - home region `blackhole` (accepts, never answers) aim ≤ 1 s
//   - calls while home's breaker is open            aim ≤ 20 ms
// Run: pnpm bench failover
import { createAuthClient, memoryStorage } from '../../packages/client/src/index.js'
import { startEmulator } from '../../packages/emulator/src/index.js'

const RUNS = Number(process.env.RUNS ?? 15)
const emu = await startEmulator({ port: 0 })
const [home, peer] = emu.config.regions.map((r) => r.region) as [string, string]

async function setFault(region: string, mode: string) {
  const res = await fetch(`${emu.controlUrl}/_regionless/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ region, mode }),
  })
  if (!res.ok) throw new Error(`fault: HTTP ${res.status}`)
}

let n = 0
// A user present in both pools (the bare emulator does not replicate).
async function newUser(): Promise<string> {
  const email = `bench${++n}.${Date.now()}@example.com`
  for (const homeRegion of [home, peer]) {
    const c = createAuthClient({ ...emu.config, homeRegion, storage: memoryStorage() })
    await c.signUp({ email })
    c.destroy()
  }
  return email
}

// A client as after a page load with nothing remembered, default settings.
const freshClient = () => createAuthClient({ ...emu.config, storage: memoryStorage(), bridge: 'off' })

async function timeSignIn(client: ReturnType<typeof freshClient>, email: string, expectRegion: string) {
  await client.ready()
  const started = performance.now()
  const challenge = await client.signIn({ email, method: 'code' })
  const ms = performance.now() - started
  if (challenge.region !== expectRegion) throw new Error(`signed in at ${challenge.region}, expected ${expectRegion}`)
  return ms
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!
}

async function firstCall(mode: 'healthy' | 'down' | 'blackhole') {
  const times: number[] = []
  // Users are created while home is healthy, so setup never waits on the fault.
  const emails: string[] = []
  for (let i = 0; i < RUNS; i++) emails.push(await newUser())
  await setFault(home, mode)
  for (const email of emails) {
    const client = freshClient()
    times.push(await timeSignIn(client, email, mode === 'healthy' ? home : peer))
    client.destroy()
  }
  await setFault(home, 'healthy')
  return times
}

async function breakerOpen() {
  const emails: string[] = []
  for (let i = 0; i < RUNS + 10; i++) emails.push(await newUser())
  await setFault(home, 'down')
  const client = freshClient()
  // Real calls (and the background probe they trigger) open home's breaker; then measure calls that skip it.
  for (let i = 0; i < 10 && !(client.health()[home]!.openUntil > Date.now()); i++) {
    await timeSignIn(client, emails.pop()!, peer)
  }
  if (!(client.health()[home]!.openUntil > Date.now())) throw new Error('home breaker did not open')
  const times: number[] = []
  for (const email of emails.slice(0, RUNS)) times.push(await timeSignIn(client, email, peer))
  client.destroy()
  await setFault(home, 'healthy')
  return times
}

// Peer baseline: a healthy sign-in served by the peer, so "added" isolates the failover cost.
async function peerBaseline() {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const client = createAuthClient({ ...emu.config, homeRegion: peer, storage: memoryStorage(), bridge: 'off' })
    times.push(await timeSignIn(client, await newUser(), peer))
    client.destroy()
  }
  return times
}

// Warm up the JIT and the emulator's key material.
for (let i = 0; i < 3; i++) await timeSignIn(freshClient(), await newUser(), home)

const baselineHome = await firstCall('healthy')
const baseline = await peerBaseline()
const down = await firstCall('down')
const blackhole = await firstCall('blackhole')
const open = await breakerOpen()

const row = (name: string, xs: number[], aim?: number) => {
  const added = median(xs) - median(baseline)
  const verdict = aim === undefined ? '' : added <= aim ? `ok (aim ≤ ${aim} ms)` : `OVER (aim ≤ ${aim} ms)`
  return `${name.padEnd(34)} median ${median(xs).toFixed(1).padStart(7)} ms  p95 ${p95(xs).toFixed(1).padStart(7)} ms  added ${added.toFixed(1).padStart(7)} ms  ${verdict}`
}
console.log(`signIn() duration, ${RUNS} runs each, Node ${process.version}, emulator on 127.0.0.1`)
console.log(row('healthy, home answers (reference)', baselineHome))
console.log(row('healthy, peer answers (baseline)', baseline))
console.log(row('first call, home down', down, 100))
console.log(row('first call, home blackhole', blackhole, 1_000))
console.log(row('home breaker open', open, 20))
await emu.close()
