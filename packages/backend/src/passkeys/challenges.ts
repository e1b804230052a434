import { randomBytes, timingSafeEqual } from 'node:crypto'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import type { ChallengeRecord, PasskeyStore } from './passkey-store.js'

/** A fresh WebAuthn challenge: 32 bytes from the CSPRNG, base64url. */
export const newChallenge = (): string => isoBase64URL.fromBuffer(randomBytes(32))

/** Constant-time equality of two challenges (strings of base64url). */
export function sameChallenge(a: string | undefined, b: string): boolean {
  if (a === undefined) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Issues a challenge and keeps it in the shared store until `ttlSeconds` from now, so that whichever
 * region the answer reaches can tell it was issued (spending it once is the single-use store's job).
 */
export async function issueChallenge(
  store: PasskeyStore,
  record: Omit<ChallengeRecord, 'expiresAt'>,
  ttlSeconds: number,
  nowSeconds: number,
): Promise<string> {
  const challenge = newChallenge()
  await store.saveChallenge(challenge, { ...record, expiresAt: nowSeconds + ttlSeconds })
  return challenge
}
