import type { StoredPasskey } from './passkey-store.js'

/** A passkey as the API shows it to its owner: no key material, times as ISO strings. */
export interface PasskeySummary {
  id: string
  name: string
  createdAt: string
  registeredRegion: string
  lastUsedAt?: string
  lastUsedRegion?: string
  backedUp: boolean
  deviceType: 'singleDevice' | 'multiDevice'
  transports?: string[]
}

export function summarise(passkey: StoredPasskey): PasskeySummary {
  const summary: PasskeySummary = {
    id: passkey.id,
    name: passkey.name,
    createdAt: new Date(passkey.createdAt).toISOString(),
    registeredRegion: passkey.registeredRegion,
    backedUp: passkey.backedUp,
    deviceType: passkey.deviceType,
  }
  if (passkey.lastUsedAt !== undefined) summary.lastUsedAt = new Date(passkey.lastUsedAt).toISOString()
  if (passkey.lastUsedRegion !== undefined) summary.lastUsedRegion = passkey.lastUsedRegion
  if (passkey.transports?.length) summary.transports = [...passkey.transports]
  return summary
}

/** Newest first: the passkey just added is at the top of a manager's list. */
export const newestFirst = (a: StoredPasskey, b: StoredPasskey) => b.createdAt - a.createdAt
