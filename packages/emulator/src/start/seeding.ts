import type { RegionPool } from '../cognito/context.js'
import { buildSeedUsers, SeedError } from '../store/seed-users.js'

export interface SeedResult {
  region: string
  userPoolId: string
  /** Users this request added. */
  seeded: number
  /** Users in the pool now. */
  total: number
}

/**
 * Bulk seeding for benchmarks and big-pool tests: writes users straight into a region's pool,
 * skipping everything a real create does (triggers, quotas, CloudTrail-shaped lifecycle events,
 * replication to peers), so 100 000 users take a moment instead of an hour of AdminCreateUser
 * calls under the quota. The two replicas of the replicas topology are one pool: both get the
 * users at once, with the same `sub`.
 */
export function createSeeder(pools: readonly RegionPool[], now: () => number) {
  return (request: { region?: unknown; users?: unknown }): SeedResult => {
    const pool = pools.find((p) => p.region === request.region)
    if (!pool) {
      const regions = pools.map((p) => p.region).join(', ')
      throw new SeedError('unknown-region', 'region', `${String(request.region)} is not one of ${regions}`)
    }
    // A replica's copy may lag behind its primary: a username must be new to both.
    const targets = pools.filter((p) => p.userPoolId === pool.userPoolId)
    const exists = (username: string) => targets.some((t) => t.users.get(username) !== undefined)
    const users = buildSeedUsers(request.users, exists, now())
    for (const target of targets) {
      // Each store its own objects: operations replace a user, but some first change it in place.
      target.users.insertNew(
        target === pool ? users : users.map((u) => ({ ...u, attributes: { ...u.attributes }, codes: {} })),
      )
    }
    return { region: pool.region, userPoolId: pool.userPoolId, seeded: users.length, total: pool.users.size }
  }
}

export type Seeder = ReturnType<typeof createSeeder>
