import type { CDPSession, Page } from 'playwright-core'

/** A credential as the DevTools protocol's WebAuthn domain reports it (private key included). */
export interface VirtualCredential {
  credentialId: string
  isResidentCredential: boolean
  rpId?: string
  privateKey: string
  userHandle?: string
  signCount: number
}

export interface VirtualAuthenticator {
  id: string
  credentials(): Promise<VirtualCredential[]>
  /** Puts a credential (e.g. another authenticator's, to clone it) into this one. */
  addCredential(credential: VirtualCredential): Promise<void>
  /**
   * Whether the authenticator answers at once, as a person touching it would. Off, a request waits:
   * an autofill request (conditional mediation) stays pending instead of signing in on page load,
   * the way a real browser waits for the person to pick the passkey in the email field.
   */
  setPresence(present: boolean): Promise<void>
  /** Whether the person "verifies" (fingerprint, PIN) when asked. */
  setUserVerified(verified: boolean): Promise<void>
  remove(): Promise<void>
}

/**
 * A platform authenticator in Chromium through the DevTools protocol (`WebAuthn.enable`,
 * `WebAuthn.addVirtualAuthenticator`): CTAP2, internal transport, resident keys, user verification.
 * Presence is off until the test turns it on (`setPresence`), where a person would touch the sensor.
 */
export async function addVirtualAuthenticator(
  page: Page,
  { present = false }: { present?: boolean } = {},
): Promise<VirtualAuthenticator> {
  const session: CDPSession = await page.context().newCDPSession(page)
  await session.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: present,
    },
  })
  return {
    id: authenticatorId,
    async credentials() {
      const { credentials } = await session.send('WebAuthn.getCredentials', { authenticatorId })
      return credentials as VirtualCredential[]
    },
    async addCredential(credential) {
      await session.send('WebAuthn.addCredential', { authenticatorId, credential })
    },
    async setPresence(enabled) {
      await session.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled })
    },
    async setUserVerified(isUserVerified) {
      await session.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified })
    },
    async remove() {
      await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId })
    },
  }
}
