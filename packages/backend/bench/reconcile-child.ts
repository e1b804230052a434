// The reconcile side of `pnpm bench replication` (reconcile at scale), in a process of its own so that its
// peak memory is its own and not the emulator's. Input: a JSON job in argv[2]; output: one JSON line.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { REPLICATION_USER_AGENT } from '../src/replication/lifecycle.js'
import { reconcilePools } from '../src/replication/reconcile.js'
import { createMemoryTombstoneStore } from '../src/replication/tombstones.js'

interface Job {
  pools: { region: string; userPoolId: string; endpoint: string }[]
  tombstones: { username: string; at: number }[]
  listUsersRps: number
  shardConcurrency: number
  shardDepth?: number
  dryRun: boolean
}

const job = JSON.parse(process.argv[2] as string) as Job
const tombstones = createMemoryTombstoneStore()
for (const t of job.tombstones) await tombstones.put(t.username, t.at)
const pools = job.pools.map((p) => ({
  region: p.region,
  userPoolId: p.userPoolId,
  client: new CognitoIdentityProviderClient({
    region: p.region,
    endpoint: p.endpoint,
    customUserAgent: REPLICATION_USER_AGENT,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  }),
}))
const started = performance.now()
const report = await reconcilePools({
  pools,
  tombstones,
  missing: 'create',
  dryRun: job.dryRun,
  listUsersRps: job.listUsersRps,
  shardConcurrency: job.shardConcurrency,
  ...(job.shardDepth && { shardDepth: job.shardDepth }),
  metrics: () => {},
})
const seconds = (performance.now() - started) / 1000
for (const p of pools) p.client.destroy()
console.log(
  JSON.stringify({
    seconds,
    // Peak resident set of this process since it started, in MB (getrusage's ru_maxrss).
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    users: report.users,
    depth: report.shards.depth,
    shards: report.shards.total,
    planned: report.plannedCount,
    byReason: report.byReason,
    applied: report.result?.applied ?? 0,
    failed: (report.result?.failed ?? 0) + report.shards.failed.length,
  }),
)
