import type { JsonWebKey } from 'node:crypto'
import type { BridgePool, PasskeyStore, SingleUseStore } from '@regionless/backend'
import type { BackendModule } from '../backend-module.js'
import type { ResolvedConfig } from '../config/emulator-config.js'
import type { Inbox } from '../inbox.js'
import { noteTrigger, type TriggerSet } from './run-trigger.js'

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
 * global table do in AWS), so a link sent by one region is redeemed in any.
 * The budgets (send interval, send budgets, wrong-code lock-out) live in a
 * model of the global table: each region writes its own items and sees the
 * others' `globalTableLagMs` later, as in AWS.
 */
export function createBackendTriggers(options: {
  backend: BackendModule
  config: ResolvedConfig
  pools: PoolIdentity[]
  inbox: Inbox
  now: () => number
  /** The one passkey store of every region (a global table in AWS). */
  passkeys: PasskeyStore
  /** The one single-use store of every region: a link or challenge spent in one is spent in all. */
  singleUse: SingleUseStore
}): (region: string) => TriggerSet {
  const { createAuthTriggers, createLocalLinkKeys, createMemoryBudgetTable } = options.backend
  const { passkeys } = options
  const { config, pools } = options
  const { linkKey, ...settings } = config.triggers
  const links = createLocalLinkKeys({ privateJwk: linkKey as JsonWebKey | undefined })
  const store = options.singleUse
  const budgets = createMemoryBudgetTable({ lagMs: config.globalTableLagMs, now: options.now })
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
    const tuned = options.backend.triggerSettingOptions({
      ...settings,
      trustedPoolIds,
      // A code lives as long as the app client's challenge session, as in a deployment that sets both.
      codeTtlSeconds: config.client.authSessionValidityMinutes * 60,
      ...(peers.length > 0 && { bridgeTrustedPools: peers }),
    })
    const { passkeys: relyingParty, ...rest } = tuned
    const triggers = createAuthTriggers({
      ...rest,
      ...(relyingParty && { passkeys: { ...relyingParty, store: passkeys } }),
      email: options.inbox.senderFor(region),
      links: { ...tuned.links, signer: links.signer, verifier: links.verifier, store },
      budgets: budgets.forRegion(region),
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
