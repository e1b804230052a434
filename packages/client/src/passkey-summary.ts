/** A passkey of the signed-in user, as the passkeys API describes it. */
export interface PasskeySummary {
  /** The credential id, base64url. */
  id: string
  name: string
  /** ISO time. */
  createdAt: string
  registeredRegion: string
  lastUsedAt?: string
  lastUsedRegion?: string
  /** Synced by its provider (iCloud Keychain, Google Password Manager…). */
  backedUp: boolean
  deviceType: 'singleDevice' | 'multiDevice'
  transports?: string[]
}
