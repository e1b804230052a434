// bench/verifier: single-thread verifications per second, in one process, of
//   raw node:crypto RS256 verify (the floor), aws-jwt-verify, jose, and @regionless/verifier
//   (first-seen tokens and repeated tokens); then cold start (import + first verify from a snapshot)
//   of @regionless/verifier and aws-jwt-verify in fresh Node processes.
// Run: pnpm bench verifier   (builds packages/verifier first when its dist is missing)
// Knobs (env): BENCH_TOKENS (3000 distinct tokens), BENCH_ROUNDS (5), BENCH_SLICE (500 tokens per
// interleaved sample), BENCH_COLD_RUNS (15), BENCH_NOCACHE=1 adds regionless with its cache off.
import { execFileSync } from 'node:child_process'
import { verify as cryptoVerify } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { measureColdStarts } from './cold-start.js'
import { createFixture } from './fixtures.js'

const root = new URL('../..', import.meta.url).pathname
const pkgDir = join(root, 'packages/verifier')
const modules = {
  regionless: join(pkgDir, 'dist/index.js'),
  awsJwtVerify: join(pkgDir, 'node_modules/aws-jwt-verify/dist/esm/index.js'),
  jose: join(pkgDir, 'node_modules/jose/dist/webapi/index.js'),
}
if (!existsSync(modules.regionless)) execFileSync('pnpm', ['build'], { cwd: pkgDir, stdio: 'inherit' })

interface RegionlessModule {
  createVerifier(options: unknown): { verify(t: string): Promise<unknown>; verifySync(t: string): unknown }
}
interface AwsModule {
  CognitoJwtVerifier: {
    create(o: unknown): { cacheJwks(j: unknown): void; verifySync(t: string): unknown }
  }
}
interface JoseModule {
  createLocalJWKSet(j: unknown): unknown
  jwtVerify(t: string, k: unknown, o: unknown): Promise<unknown>
}
const load = async <T>(path: string) => (await import(pathToFileURL(path).href)) as T
const regionless = await load<RegionlessModule>(modules.regionless)
const aws = await load<AwsModule>(modules.awsJwtVerify)
const jose = await load<JoseModule>(modules.jose)

const DISTINCT = Number(process.env.BENCH_TOKENS ?? 3000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
console.log(`signing ${DISTINCT} distinct Cognito-shaped access tokens (RS256, 2048-bit)…`)
const fx = createFixture(DISTINCT)
const poolConfig = { userPoolId: fx.userPoolId, clientId: fx.clientId, jwks: fx.jwks }

type Check = (token: string) => unknown
/** Builds a fresh verifier (untimed) and returns its check; `async` checks are awaited one at a time. */
interface Contender {
  name: string
  async: boolean
  make: () => Check
}

const decoded = new Map(
  fx.tokens.map((t) => {
    const dot = t.lastIndexOf('.')
    return [t, [Buffer.from(t.slice(0, dot)), Buffer.from(t.slice(dot + 1), 'base64url')] as const]
  }),
)
const contenders: Contender[] = [
  {
    name: 'raw node:crypto verify (floor)',
    async: false,
    make: () => (t) => {
      const [data, sig] = decoded.get(t)!
      if (!cryptoVerify('RSA-SHA256', data, fx.publicKey, sig)) throw new Error('bad signature')
    },
  },
  {
    // For reference: the least any verifier adds, turning the token's text into the two buffers.
    name: 'raw verify + base64url decode',
    async: false,
    make: () => (t) => {
      const dot = t.lastIndexOf('.')
      const data = Buffer.from(t.slice(0, dot), 'latin1')
      if (!cryptoVerify('RSA-SHA256', data, fx.publicKey, Buffer.from(t.slice(dot + 1), 'base64url'))) {
        throw new Error('bad signature')
      }
    },
  },
  {
    name: 'aws-jwt-verify verifySync',
    async: false,
    make: () => {
      const v = aws.CognitoJwtVerifier.create({ userPoolId: fx.userPoolId, clientId: fx.clientId, tokenUse: 'access' })
      v.cacheJwks(fx.jwks)
      return (t) => v.verifySync(t)
    },
  },
  {
    name: 'jose jwtVerify + createLocalJWKSet',
    async: true,
    make: () => {
      const keys = jose.createLocalJWKSet(fx.jwks)
      return (t) => jose.jwtVerify(t, keys, { issuer: fx.issuer, algorithms: ['RS256'] })
    },
  },
  {
    name: 'regionless verify (await)',
    async: true,
    make: () => {
      const v = regionless.createVerifier({ pools: [poolConfig], tokenUse: 'access' })
      return (t) => v.verify(t)
    },
  },
  {
    name: 'regionless verifySync',
    async: false,
    make: () => {
      const v = regionless.createVerifier({ pools: [poolConfig], tokenUse: 'access' })
      return (t) => v.verifySync(t)
    },
  },
  ...(process.env.BENCH_NOCACHE
    ? [
        {
          name: 'regionless verifySync (cache off)',
          async: false,
          make: () => {
            const v = regionless.createVerifier({ pools: [poolConfig], tokenUse: 'access', cache: false })
            return (t: string) => v.verifySync(t)
          },
        },
      ]
    : []),
]

/**
 * CPU time per verification, in µs, of `check` over `tokens` (one pass, or cycling until `minMs` of CPU).
 * CPU time (process.cpuUsage), not wall time: on a shared machine the scheduler's pauses are not ours.
 */
async function sample(c: Contender, check: Check, tokens: string[], minMs = 0): Promise<number> {
  let ops = 0
  const start = process.cpuUsage()
  let used = 0
  do {
    if (c.async) for (const t of tokens) await check(t)
    else for (const t of tokens) check(t)
    ops += tokens.length
    const now = process.cpuUsage(start)
    used = now.user + now.system
  } while (used < minMs * 1000)
  return used / ops
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN

/**
 * Interleaves the contenders in short samples (alternating their order) and takes the median time per
 * verification: other processes on the machine then slow every contender alike instead of one of them.
 */
async function measure(tokens: string[], mode: 'first-seen' | 'repeated'): Promise<Map<string, number>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]))
  const SLICE = Number(process.env.BENCH_SLICE ?? 500)
  for (let round = 0; round < ROUNDS; round++) {
    // first-seen: new verifiers per round, so every token is new to them (the floor has no state anyway).
    const checks = new Map(contenders.map((c) => [c.name, c.make()]))
    if (mode === 'repeated') {
      // Two passes: the first verifies, the second builds the cached results.
      for (const c of contenders) for (let i = 0; i < 2; i++) await sample(c, checks.get(c.name)!, tokens)
    }
    const steps = mode === 'first-seen' ? Math.ceil(tokens.length / SLICE) : 10
    for (let step = 0; step < steps; step++) {
      const slice = mode === 'first-seen' ? tokens.slice(step * SLICE, (step + 1) * SLICE) : tokens
      const order = (round + step) % 2 ? [...contenders].reverse() : contenders
      for (const c of order) {
        const perOp = await sample(c, checks.get(c.name)!, slice, mode === 'repeated' ? 10 : 0)
        if (round > 0) samples.get(c.name)!.push(perOp) // round 0 warms the JIT
      }
    }
  }
  return new Map([...samples].map(([name, perOp]) => [name, 1e6 / median(perOp)]))
}

function table(title: string, rates: Map<string, number>) {
  const floor = rates.get(contenders[0]!.name)!
  const awsRate = rates.get('aws-jwt-verify verifySync')!
  console.log(`\n## ${title}`)
  console.log(
    `${'contender'.padEnd(40)}${'verifies/s'.padStart(12)}${'× floor'.padStart(10)}${'× aws-jwt-verify'.padStart(18)}`,
  )
  for (const [name, rate] of rates) {
    console.log(
      `${name.padEnd(40)}${Math.round(rate).toLocaleString('en-US').padStart(12)}${(rate / floor).toFixed(2).padStart(10)}${(rate / awsRate).toFixed(2).padStart(18)}`,
    )
  }
}

console.log(`node ${process.version}; ${ROUNDS} rounds of interleaved samples; medians of CPU time per verification`)
const firstSeen = await measure(fx.tokens, 'first-seen')
table(`first-seen tokens (${DISTINCT} distinct tokens, each verified once per round)`, firstSeen)
const repeated = await measure(fx.tokens.slice(0, 100), 'repeated')
table('repeated tokens (100 tokens cycled; regionless answers from its verified-token cache)', repeated)

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15)
const cold = measureColdStarts(fx, { regionless: modules.regionless, awsJwtVerify: modules.awsJwtVerify }, COLD_RUNS)
console.log(`\n## cold start: fresh node process, import + first verify from a JWKS snapshot (median of ${COLD_RUNS})`)
for (const [name, c] of Object.entries(cold)) {
  console.log(
    `${name.padEnd(40)}import+verify ${c.importAndVerifyMs.toFixed(1).padStart(6)} ms   whole process ${c.processMs.toFixed(0).padStart(4)} ms`,
  )
}

const r = (name: string, m: Map<string, number>) => m.get(name)!
const floorName = contenders[0]!.name
const coldRatio = cold.regionless.importAndVerifyMs / cold['aws-jwt-verify'].importAndVerifyMs
console.log('\n## aims (regionless verify / verifySync)')
const both = (f: (name: string) => number, digits: number) =>
  ['regionless verify (await)', 'regionless verifySync'].map((name) => f(name).toFixed(digits)).join(' / ')
const first = (name: string) => r(name, firstSeen) / r(floorName, firstSeen)
const again = (name: string) => r(name, repeated) / r('aws-jwt-verify verifySync', repeated)
console.log(`first-seen ≥ 0.85 × floor:        ${both(first, 2)}`)
console.log(`repeated ≥ 20 × aws-jwt-verify:   ${both(again, 0)}`)
console.log(`cold start ≤ aws-jwt-verify:      ${coldRatio.toFixed(2)} ×`)
