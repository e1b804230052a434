import type { JwksSnapshot, PoolConfig, VerifierOptions } from '@regionless/verifier'
import { withSnapshot } from '@regionless/verifier'
import { AUTHORIZER_ENV } from './authorizer-env.js'

/**
 * Verifier options for the authorizer: the trusted pools from the environment, with their keys from
 * the snapshot shipped in the bundle, so a cold start during a peer region's outage makes no network
 * call for that pool. Throws a TypeError naming the variable when the deployment set it wrong.
 *
 * @example
 * const verifier = createVerifier(authorizerOptionsFromEnv(process.env, snapshot))
 */
export function authorizerOptionsFromEnv(
  env: Record<string, string | undefined>,
  snapshot: JwksSnapshot | undefined,
): VerifierOptions {
  let pools: PoolConfig[]
  try {
    pools = JSON.parse(env[AUTHORIZER_ENV.pools] ?? '')
  } catch {
    throw new TypeError(`${AUTHORIZER_ENV.pools}: must be a JSON array of { userPoolId, clientId }`)
  }
  if (!Array.isArray(pools) || pools.length === 0) {
    throw new TypeError(`${AUTHORIZER_ENV.pools}: must list at least one pool`)
  }
  const tokenUse = env[AUTHORIZER_ENV.tokenUse] ?? 'access'
  if (tokenUse !== 'access' && tokenUse !== 'id' && tokenUse !== 'any') {
    throw new TypeError(`${AUTHORIZER_ENV.tokenUse}: must be access, id or any`)
  }
  return { pools: snapshot ? withSnapshot(pools, snapshot) : pools, tokenUse }
}
