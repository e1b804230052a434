import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider'
import type { Peer } from './apply-change.js'
import { describeFailure } from './failures.js'
import { shardDepthFor } from './shards.js'

/** The depth used when no pool says how many users it holds: 256 shards, right for up to about a million users. */
export const UNKNOWN_SIZE_DEPTH = 2

/**
 * The shard depth for a run: the largest pool's `EstimatedNumberOfUsers`
 * (DescribeUserPool, one call per pool) decides. A pool that cannot answer
 * leaves the choice to the others, or to {@link UNKNOWN_SIZE_DEPTH}.
 *
 * @example
 * const { depth } = await chooseShardDepth(pools) // 2 for 100,000 users, 3 for 10 million
 */
export async function chooseShardDepth(
  pools: readonly Peer[],
  warn: (line: string) => void = () => {},
): Promise<{ depth: number; estimatedUsers?: number }> {
  const estimates = await Promise.all(
    pools.map(async (pool) => {
      try {
        const out = await pool.client.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }), {
          abortSignal: AbortSignal.timeout(10_000),
        })
        return out?.UserPool?.EstimatedNumberOfUsers
      } catch (err) {
        warn(`${pool.region}: DescribeUserPool failed (${describeFailure(err)}); its size is unknown`)
        return undefined
      }
    }),
  )
  const known = estimates.filter((n): n is number => typeof n === 'number' && n >= 0)
  if (!known.length) return { depth: UNKNOWN_SIZE_DEPTH }
  const estimatedUsers = Math.max(...known)
  return { depth: shardDepthFor(estimatedUsers), estimatedUsers }
}
