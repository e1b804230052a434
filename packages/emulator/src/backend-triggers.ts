import type { JsonWebKey } from 'node:crypto'
import type { BridgePool } from '@regionless/backend'
import type { ResolvedConfig } from './config.js'
import type { Inbox } from './inbox.js'
import { noteTrigger, type TriggerSet } from './triggers.js'

export interface PoolIdentity {
  region: string
  userPoolId: string
  clientId: string
  issuer: string
  jwks: { keys: unknown[] }
}

/**
 * The real `@regionless/backend` triggers for every region. One link key and
 * one single-use store serve all regions (as a KMS multi-region key and a
 * global table do in AWS), so a link sent by one region is redeemed in any;
 * the send throttle is per region, like each region's own table.
 */
export type BackendModule = typeof import('@regionless/backend')

/** Loaded on demand, so its AWS SDK clients load while the pools' RSA keys are generated. */
export const loadBackend = (): Promise<BackendModule> => import('@regionless/backend')

export function createBackendTriggers(options: {
  backend: BackendModule
  config: ResolvedConfig
  pools: PoolIdentity[]
  inbox: Inbox
  now: () => number
}): (region: string) => TriggerSet {
  const { createAuthTriggers, createLocalLinkKeys, createMemorySendThrottle, createMemorySingleUseStore } =
    options.backend
  const { config, pools } = options
  const t = config.triggers
  const links = createLocalLinkKeys({ privateJwk: t.linkKey as JsonWebKey | undefined })
  const store = createMemorySingleUseStore()
  const trustedPoolIds = [...new Set(pools.map((p) => p.userPoolId))]
  const bySet = new Map<string, TriggerSet>()
  return (region) => {
    const existing = bySet.get(region)
    if (existing) return existing
    const self = pools.find((p) => p.region === region)
    // A bridge trusts the other pools; in the replicas topology there is no other pool to bridge from.
    const peers: BridgePool[] = pools
      .filter((p) => p.region !== region && p.userPoolId !== self?.userPoolId)
      .map((p) => ({ issuer: p.issuer, clientIds: [p.clientId], jwks: p.jwks as BridgePool['jwks'] }))
    const triggers = createAuthTriggers({
      email: options.inbox.senderFor(region),
      links: {
        signer: links.signer,
        verifier: links.verifier,
        store,
        redirectAllowList: t.redirectAllowList,
        audience: t.audience,
        trustedPoolIds,
        ...(t.linkTtlSeconds !== undefined && { ttlSeconds: t.linkTtlSeconds }),
      },
      sendThrottle: createMemorySendThrottle(),
      ...(t.codeLength !== undefined && { codeLength: t.codeLength }),
      ...(t.maxCodeAttempts !== undefined && { maxCodeAttempts: t.maxCodeAttempts }),
      ...(t.minSendIntervalSeconds !== undefined && { minSendIntervalSeconds: t.minSendIntervalSeconds }),
      codeTtlSeconds: config.client.authSessionValidityMinutes * 60,
      ...(peers.length > 0 && {
        bridge: {
          trustedPools: peers,
          ...(t.bridgeMaxAgeSeconds !== undefined && { maxAgeSeconds: t.bridgeMaxAgeSeconds }),
        },
      }),
      ...(t.emailDomains !== undefined && { emailDomains: t.emailDomains }),
      now: options.now,
      // The backend says why it refused something; that reason joins the trigger's log line.
      log: (entry) => {
        if (entry.reason) noteTrigger(entry.reason)
      },
    })
    const set: TriggerSet = {
      preSignUp: triggers.preSignUp,
      defineAuthChallenge: triggers.defineAuthChallenge,
      createAuthChallenge: triggers.createAuthChallenge,
      verifyAuthChallengeResponse: triggers.verifyAuthChallengeResponse,
    }
    bySet.set(region, set)
    return set
  }
}
