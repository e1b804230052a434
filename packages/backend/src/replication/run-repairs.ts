import { ListUsersCommand, type ListUsersCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { type ApplyResult, applyChange, type Peer } from './apply-change.js'
import { attributeMap } from './attributes.js'
import type { UserSnapshot } from './conflict.js'
import { classifyFailure, describeFailure } from './failures.js'
import type { RateLimiter } from './rate-limit.js'
import type { Repair } from './reconcile-plan.js'
import type { TombstoneStore } from './tombstones.js'

/** Progress lines for people (the CLI prints them; the scheduled handler logs them). */
export type Progress = (line: string) => void

export interface ListOptions {
  /** A ListUsers filter (`username ^= "u_3a"` reads one shard); default the whole pool. */
  filter?: string | undefined
  /** Keeps only the users this accepts (the other-usernames shard drops the stable ones). */
  keep?: (username: string) => boolean
  /** This region's share of the ListUsers quota; every page waits for it. */
  limiter?: RateLimiter | undefined
  timeoutMs?: number
  progress?: Progress
  /** Called once a page, with the number of users on it. */
  onPage?: (users: number) => void
  sleep?: (ms: number) => Promise<void>
}

/**
 * Reads a pool, or the part a filter selects, with ListUsers (60 users a
 * page, the most Cognito gives) into a map by lower-cased username.
 * Throttled pages are retried after a pause, and the limiter slows down.
 */
export async function listPoolUsers(peer: Peer, options: ListOptions = {}): Promise<Map<string, UserSnapshot>> {
  const users = new Map<string, UserSnapshot>()
  const sleep = options.sleep ?? defaultSleep
  let token: string | undefined
  let pages = 0
  do {
    const out: ListUsersCommandOutput = await withRetry(
      async () => {
        await options.limiter?.take()
        return peer.client.send(
          new ListUsersCommand({
            UserPoolId: peer.userPoolId,
            Limit: 60,
            PaginationToken: token,
            ...(options.filter && { Filter: options.filter }),
          }),
          { abortSignal: AbortSignal.timeout(options.timeoutMs ?? 10_000) },
        )
      },
      sleep,
      8,
      options.limiter && (() => options.limiter?.throttled()),
    )
    options.onPage?.(out.Users?.length ?? 0)
    for (const u of out.Users ?? []) {
      if (!u.Username || (options.keep && !options.keep(u.Username))) continue
      users.set(u.Username.toLowerCase(), {
        username: u.Username,
        attributes: attributeMap(u.Attributes),
        enabled: u.Enabled !== false,
        ...(u.UserStatus && { status: u.UserStatus }),
        ...(u.UserLastModifiedDate && { lastModified: u.UserLastModifiedDate.getTime() }),
      })
    }
    token = out.PaginationToken
    pages++
    if (pages % 10 === 0 || !token) options.progress?.(`${peer.region}: ${users.size} users read (${pages} pages)`)
  } while (token)
  return users
}

export interface RepairSummary {
  applied: number
  skipped: number
  failed: number
  byReason: Record<string, number>
  failures: { region: string; username: string; error: string }[]
}

/**
 * Applies repairs with bounded concurrency, each through the same idempotent
 * path as the worker (so a change that happened meanwhile still wins), at
 * most at each region's share of its write quotas when limiters are given
 * (a repair is one to three calls). Throttling and transient errors are
 * retried a few times; throttling also halves that region's rate for a while.
 */
export async function runRepairs(
  repairs: Repair[],
  peers: Peer[],
  options: {
    tombstones?: TombstoneStore | undefined
    concurrency?: number
    timeoutMs?: number
    progress?: Progress
    sleep?: (ms: number) => Promise<void>
    /** Each region's share of its write quotas (UserCreation, UserUpdate…), repairs per second. */
    limiters?: ReadonlyMap<string, RateLimiter> | undefined
  } = {},
): Promise<RepairSummary> {
  const byRegion = new Map(peers.map((p) => [p.region, p]))
  const summary: RepairSummary = { applied: 0, skipped: 0, failed: 0, byReason: {}, failures: [] }
  const sleep = options.sleep ?? defaultSleep
  // One user's repairs run in order (create before disable); users run in parallel.
  const groups = new Map<string, Repair[]>()
  for (const r of repairs) {
    const key = `${r.region}\u0000${r.change.username.toLowerCase()}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  const pending = [...groups.values()]
  let next = 0
  let done = 0
  async function lane() {
    while (next < pending.length) {
      for (const repair of pending[next++] as Repair[]) await one(repair)
    }
  }
  async function one(repair: Repair) {
    const peer = byRegion.get(repair.region)
    try {
      if (!peer) throw new Error(`no pool configured for ${repair.region}`)
      const limiter = options.limiters?.get(repair.region)
      const result: ApplyResult = await withRetry(
        async () => {
          await limiter?.take()
          return applyChange(peer, repair.change, {
            timeoutMs: options.timeoutMs ?? 5_000,
            tombstones: options.tombstones,
          })
        },
        sleep,
        5,
        limiter && (() => limiter.throttled()),
      )
      if (result.outcome === 'skipped') summary.skipped++
      else summary.applied++
      summary.byReason[repair.reason] = (summary.byReason[repair.reason] ?? 0) + 1
    } catch (err) {
      summary.failed++
      summary.failures.push({ region: repair.region, username: repair.change.username, error: describeFailure(err) })
    }
    done++
    if (done % 50 === 0) options.progress?.(`${done}/${repairs.length} repairs done`)
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane))
  return summary
}

async function withRetry<T>(
  fn: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
  attempts = 5,
  onThrottled?: () => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      const kind = classifyFailure(err)
      if (attempt >= attempts || kind === 'poison') throw err
      if (kind === 'throttled') onThrottled?.()
      // With a limiter the slower rate is the pause; without one, back off here.
      await sleep(kind === 'throttled' && onThrottled ? 50 : Math.min(5_000, 200 * 2 ** attempt))
    }
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
