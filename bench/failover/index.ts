// Failover latency of the whole path a user waits for, against the emulator.
//
// Each journey starts from a fresh client (memory storage, nothing remembered,
// no CORS preflight cached: its fetch sends the preflights a browser page
// sends, see page-fetch.ts) and makes the call <PasswordlessLogin/> makes on a click,
// `client.signIn({ email, method, createAccount: true })`, timed until it
// resolves (the code field is shown); then the rest of what a user waits for:
// answer(code), a magic link redeemed on another device, an API call through
// createApi(client), a token refresh, signOut(). Every row is run with the home
// region (replicas: the primary) healthy (the reference), down, black-holed,
// slow (3 s), erroring, throttled, flapping (error on half the requests), and
// with its breaker already open, in both topologies. Emails are counted per
// click from the inbox once the cell has settled.
//
// Aims (issue 13), as added latency over the healthy cell of the same run:
// refused / error / throttle / flapping ≤ 100 ms; black-holed and slow ≤ 1 s
// and click → code field ≤ 1.5 s; breaker open ≤ 20 ms. One email per click.
//
// Run: pnpm bench failover   (RUNS=7 journeys per cell; TOPOLOGIES=pools,replicas)
import { existingUserJourney, linkJourney, newUserJourney, openBreaker, type Sample } from './journeys.js'
import { type Cell, type CellResult, printTable } from './table.js'
import { startWorld, type Topology, type World } from './world.js'

const RUNS = Number(process.env.RUNS ?? 7)
const TOPOLOGIES = (process.env.TOPOLOGIES ?? 'pools,replicas').split(',') as Topology[]
const CELLS: Cell[] = ['healthy', 'down', 'blackhole', 'slow', 'error', 'throttle', 'flapping', 'breaker open']
const WARM_UP = 2
const SLOW_TAIL_MS = 3_500

// Work the client leaves running after destroy() must end quietly; count what does not.
const unhandled: string[] = []
process.on('unhandledRejection', (reason) => unhandled.push(String((reason as Error)?.stack ?? reason)))
process.on('uncaughtException', (err) => unhandled.push(String(err.stack ?? err)))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const slug = (cell: string) => cell.replace(/\s+/g, '-')
const address = (topology: Topology, cell: string, kind: string, run: number) =>
  `${kind}${run}.${slug(cell)}.${topology}@bench.test`

// One run of one cell: three people click at once on fresh pages, an existing user (code),
// a new user (code) and an existing user (link), and go on to the next screens.
async function runCell(world: World, cell: Cell, run: number): Promise<Sample[]> {
  await world.setFault(world.home, cell === 'breaker open' ? 'down' : cell)
  const openers = Array.from({ length: 6 }, (_, k) => address(world.topology, cell, `open${k}-`, run))
  const fresh = cell === 'breaker open' ? { remembered: await openBreaker(world, openers) } : {}
  // The breaker cell times the clicks; the rest of the path is the `down` cell's.
  const full = cell !== 'breaker open'
  const at = (kind: string) => address(world.topology, cell, kind, run)
  return Promise.all([
    existingUserJourney(world, at('x'), fresh, full),
    newUserJourney(world, at('n'), fresh, full),
    linkJourney(world, at('l'), fresh, full),
  ])
}

async function runTopology(topology: Topology) {
  const started = performance.now()
  const world = await startWorld(topology)
  try {
    const runs = Array.from({ length: RUNS }, (_, run) => run)
    const cells = [...CELLS, 'warm-up']
    await world.createUsers(
      cells.flatMap((cell) => runs.flatMap((run) => ['x', 'l'].map((k) => address(topology, cell, k, run)))),
    )
    // Warm up the JIT, the keys and the connections before anything is timed.
    for (let run = 0; run < WARM_UP; run++)
      await existingUserJourney(world, address(topology, 'warm-up', 'x', run), {}, true)
    // Round robin, in a rotating order: every cell, the healthy reference included, sees the same machine load.
    const samples = new Map<Cell, Sample[]>(CELLS.map((cell) => [cell, []]))
    for (const run of runs) {
      for (const [k] of CELLS.entries()) {
        const cell = CELLS[(k + run) % CELLS.length]!
        samples.get(cell)!.push(...(await runCell(world, cell, run)))
      }
    }
    await world.setFault(world.home, 'healthy')
    // What a slow region still does after the client gave up on it lands late: wait it out, then count.
    await sleep(SLOW_TAIL_MS)
    const results: CellResult[] = []
    for (const [cell, list] of samples) {
      const emailsPerClick: CellResult['emailsPerClick'] = new Map()
      for (const sample of list.filter((s) => s.click.at)) {
        // A failover mid sign-in sends one more email and says so: that one is not the click's.
        const count = (await world.mails(sample.click.to, sample.click.at)).length - sample.moved
        emailsPerClick.set(sample.click.op, [...(emailsPerClick.get(sample.click.op) ?? []), count])
      }
      results.push({ cell, samples: list, emailsPerClick })
    }
    printTable(topology, world.home, results)
    console.log(`(${topology}: ${((performance.now() - started) / 1000).toFixed(0)} s)`)
  } finally {
    await world.close()
  }
}

console.log(
  `Click → next screen and the rest of a user's path, ${RUNS} runs a cell, Node ${process.version}, emulator in-process on 127.0.0.1.`,
)
console.log(
  'Fresh client per journey; per run an existing user (code), a new user (code) and a link sign-in run side by side;',
)
console.log('cells are run round robin, so the healthy reference sees the same machine load as the faults;')
console.log(
  'each client sends the CORS preflights of a fresh browser page (the first call to each URL costs two round trips).',
)
console.log('Times in ms; added = median − the healthy cell’s median; → email = click → the email in the inbox.')
for (const topology of TOPOLOGIES) await runTopology(topology)
if (unhandled.length) {
  console.log(`\n${unhandled.length} unhandled rejection(s) or exception(s) from clients' background work, first:`)
  console.log(unhandled[0])
}
// Clients destroyed mid-flight may leave sockets to a black-holed region open: do not wait for them.
process.exit(0)
