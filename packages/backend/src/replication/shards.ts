/**
 * How reconcile and backfill cut a pool into shards they can read one at a
 * time: Regionless usernames are `u_` and 32 hex digits of a digest
 * (identity/stable-username.ts), so they spread evenly over hex prefixes,
 * and Cognito's ListUsers can list one prefix (`username ^= "u_3a"`). A
 * shard is one prefix; every shard holds about `users ÷ 16^depth` users, so
 * memory is bounded by the depth, not by the pool.
 */

/** The prefix every stable username starts with. */
export const USERNAME_PREFIX = 'u_'

/**
 * The shard of usernames that do not have the stable shape (made with
 * AdminCreateUser by hand, or before `requireStableUsername`). No ListUsers
 * filter can select "everything else", so this shard reads the whole pool and
 * keeps only those: opt in (`otherUsernames`) where such users exist.
 */
export const OTHER_USERNAMES_SHARD = '*'

/** Deepest split: 16^4 = 65,536 shards, 260 million users at 4,000 a shard. */
export const MAX_SHARD_DEPTH = 4

/**
 * Users per shard the automatic depth aims at. Memory grows with it (every
 * shard in flight holds its users from every pool); ListUsers pages wasted on
 * each shard's partial last page shrink with it (half a page a shard a pool:
 * 7.7 % at 390 users a shard, 1.2 % at 2,440). Measured with
 * `pnpm bench replication` at 100,000 users a pool: 16 shards of 6,250 peaked
 * at 265 MB in the CLI, 256 shards of 390 at 178 MB and ran faster (less
 * repair work left at the end).
 */
export const TARGET_USERS_PER_SHARD = 4_000

const HEX = '0123456789abcdef'

/**
 * The shard prefixes of a depth, in order.
 *
 * @example
 * shardPrefixes(1) // ['u_0', 'u_1', …, 'u_f']
 */
export function shardPrefixes(depth: number): string[] {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_SHARD_DEPTH) {
    throw new RangeError(`shard depth must be an integer from 1 to ${MAX_SHARD_DEPTH}, got ${depth}`)
  }
  let prefixes = ['']
  for (let level = 0; level < depth; level++) prefixes = prefixes.flatMap((p) => [...HEX].map((digit) => p + digit))
  return prefixes.map((p) => USERNAME_PREFIX + p)
}

/**
 * The smallest depth whose shards hold at most `perShard` users of a pool of
 * `estimatedUsers` (Cognito's `EstimatedNumberOfUsers`).
 *
 * @example
 * shardDepthFor(50_000) // 1 (16 shards of about 3,125)
 * shardDepthFor(100_000) // 2 (256 shards of about 390)
 * shardDepthFor(10_000_000) // 3 (4,096 shards of about 2,441)
 */
export function shardDepthFor(estimatedUsers: number, perShard = TARGET_USERS_PER_SHARD): number {
  let depth = 1
  while (depth < MAX_SHARD_DEPTH && estimatedUsers / 16 ** depth > perShard) depth++
  return depth
}

/** The ListUsers filter that lists one shard (undefined: the whole pool, for the other-usernames shard). */
export function shardFilter(shard: string): string | undefined {
  if (shard === OTHER_USERNAMES_SHARD) return undefined
  if (!isShard(shard)) throw new RangeError(`not a shard: ${JSON.stringify(shard)}`)
  return `username ^= "${shard}"`
}

/** True when `shard` is a shard name: a hex prefix of a stable username, or the other-usernames shard. */
export function isShard(shard: unknown): shard is string {
  return (
    shard === OTHER_USERNAMES_SHARD ||
    (typeof shard === 'string' && new RegExp(`^${USERNAME_PREFIX}[0-9a-f]{1,${MAX_SHARD_DEPTH}}$`).test(shard))
  )
}

const STABLE = /^u_[0-9a-f]{32}$/

/**
 * Whether a username, exactly as Cognito returns it, belongs to a shard:
 * a prefix shard holds the stable usernames with its prefix, the
 * other-usernames shard everything else (`u_ab_admin`, `U_ABC…`), so each
 * user is in exactly one shard. Cognito's username filter is case-sensitive:
 * never lower-case before deciding.
 */
export function belongsToShard(username: string, shard: string): boolean {
  if (shard === OTHER_USERNAMES_SHARD) return !STABLE.test(username)
  return STABLE.test(username) && username.startsWith(shard)
}

/** Every shard of a run: the prefixes, then the other-usernames shard when asked for. */
export function runShards(depth: number, otherUsernames: boolean): string[] {
  return [...shardPrefixes(depth), ...(otherUsernames ? [OTHER_USERNAMES_SHARD] : [])]
}
