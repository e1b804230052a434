import type { BridgeSpend } from '../links/bridge-token.js'
import { bridgeKey } from '../stores/keys.js'

/**
 * The single-use key a bridge spends: one per peer sign-in (`origin_jti`,
 * shared by every token that sign-in's refresh token will ever mint) and per
 * pool signed into. So a sign-in bridges once into each peer, and a refreshed
 * or replayed token of the same sign-in finds its key spent. The pool is part
 * of the key because with three regions the same sign-in may also bridge into
 * the third pool, once. The `bridge#` prefix is the bridge's own namespace in
 * the shared store.
 *
 * @example
 * bridgeSpendKey({ issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A', originJti: 'o-1' }, 'us-east-1_B')
 * // 'bridge#https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A#o-1#us-east-1_B'
 */
export function bridgeSpendKey(spend: Pick<BridgeSpend, 'issuer' | 'originJti'>, userPoolId: string): string {
  return bridgeKey(spend.issuer, spend.originJti, userPoolId)
}
