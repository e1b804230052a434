// The verifier against a running emulator that rotates its signing keys (emulator.rotateKeys): real
// Cognito-shaped tokens, a real JWKS endpoint, and a key the verifier has never seen.
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '@regionless/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerifier, type FetchLike, type Jwks, type TokenError } from '../src/index.js'
import { emulatorTokens } from './helpers/emulator-sign-in.js'

const PENALTY_MS = 10_000

/** A fetch that counts JWKS downloads. */
function countingFetch() {
  let downloads = 0
  const counted: FetchLike = (input, init) => {
    downloads += 1
    return fetch(input, init)
  }
  return { fetch: counted, downloads: () => downloads }
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined as unknown as TokenError,
    (e: TokenError) => e,
  )

describe('the verifier meets a key rotation in the emulator', () => {
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  // The verifier's clock, moved past its refetch penalty box instead of waiting it out.
  let offsetMs = 0
  const clock = () => Date.now() + offsetMs
  beforeAll(async () => {
    emulator = await startEmulator({ config: { triggers: { minSendIntervalSeconds: 0 } } })
    eu = emulator.config.regions[0]!
  })
  afterAll(() => emulator?.close())

  const pool = () => ({ userPoolId: eu.userPoolId, clientId: eu.clientId, issuer: eu.issuer })

  it('downloads the JWKS once more for a kid it has not seen, and keeps accepting the older keys', async () => {
    const counting = countingFetch()
    const verifier = createVerifier({
      pools: [{ ...pool(), jwksUri: eu.jwksUri }],
      tokenUse: 'any',
      fetch: counting.fetch,
      clock,
      jwksMinRefetchIntervalMs: PENALTY_MS,
    })
    const before = await emulatorTokens(emulator, eu, 'rotation-refetch@example.com')
    // One download holds both keys: the ID key and the access key.
    await expect(verifier.verify(before.accessToken)).resolves.toMatchObject({ tokenUse: 'access' })
    await expect(verifier.verify(before.idToken)).resolves.toMatchObject({ tokenUse: 'id' })
    expect(counting.downloads()).toBe(1)

    await emulator.rotateKeys(eu.region)
    const after = await emulatorTokens(emulator, eu, 'rotation-refetch@example.com')
    offsetMs += PENALTY_MS
    await expect(verifier.verify(after.accessToken)).resolves.toMatchObject({ tokenUse: 'access' })
    await expect(verifier.verify(after.idToken)).resolves.toMatchObject({ tokenUse: 'id' })
    expect(counting.downloads()).toBe(2)
    await expect(verifier.verify(before.accessToken)).resolves.toMatchObject({ userPoolId: eu.userPoolId })
    expect(counting.downloads()).toBe(2)
  })

  it('started from a JWKS snapshot: fails closed on a rotated key without a jwksUri, refetches with one', async () => {
    const snapshot = (await (await fetch(eu.jwksUri)).json()) as Jwks
    const noNetwork: FetchLike = () => Promise.reject(new Error('a snapshot-only verifier must not download'))
    const snapshotOnly = createVerifier({
      pools: [{ ...pool(), jwks: snapshot }],
      tokenUse: 'access',
      fetch: noNetwork,
    })
    const counting = countingFetch()
    const snapshotAndUri = createVerifier({
      pools: [{ ...pool(), jwks: snapshot, jwksUri: eu.jwksUri }],
      tokenUse: 'access',
      fetch: counting.fetch,
      clock,
      jwksMinRefetchIntervalMs: PENALTY_MS,
    })
    const before = await emulatorTokens(emulator, eu, 'rotation-snapshot@example.com')
    await expect(snapshotOnly.verify(before.accessToken)).resolves.toBeTruthy()
    await expect(snapshotAndUri.verify(before.accessToken)).resolves.toBeTruthy()
    expect(counting.downloads()).toBe(0)

    await emulator.rotateKeys(eu.region)
    const after = await emulatorTokens(emulator, eu, 'rotation-snapshot@example.com')
    expect(await rejection(snapshotOnly.verify(after.accessToken))).toMatchObject({ code: 'KID_UNKNOWN' })
    await expect(snapshotOnly.verify(before.accessToken)).resolves.toBeTruthy()
    await expect(snapshotAndUri.verify(after.accessToken)).resolves.toMatchObject({ userPoolId: eu.userPoolId })
    expect(counting.downloads()).toBe(1)
  })
})
