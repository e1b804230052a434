import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers'
import { describe, expect, it } from 'vitest'
import { createSoftAuthenticator } from '../helpers/soft-authenticator.js'

const ORIGIN = 'https://app.example.com'
const RP_ID = 'example.com'

async function registered(authenticator = createSoftAuthenticator()) {
  const options = await generateRegistrationOptions({
    rpName: 'Example',
    rpID: RP_ID,
    userName: 'ada@example.com',
    userID: isoUint8Array.fromUTF8String('u_ada'),
    attestationType: 'none',
  })
  const response = authenticator.register(options, { origin: ORIGIN })
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    requireUserVerification: true,
  })
  return { authenticator, options, response, verified }
}

describe('software authenticator', () => {
  it('registers a credential the WebAuthn library accepts, with its id, key and counter', async () => {
    const { authenticator, verified } = await registered()
    expect(verified.verified).toBe(true)
    expect(verified.registrationInfo?.credential.id).toBe(authenticator.id)
    expect(verified.registrationInfo?.credential.counter).toBe(1)
    expect(verified.registrationInfo?.fmt).toBe('none')
    expect(verified.registrationInfo?.credentialDeviceType).toBe('singleDevice')
    expect(authenticator.userHandle).toBe(isoBase64URL.fromUTF8String('u_ada'))
  })

  it('reports a synced passkey (BE/BS) as multiDevice and backed up', async () => {
    const { verified } = await registered(createSoftAuthenticator({ backedUp: true }))
    expect(verified.registrationInfo?.credentialDeviceType).toBe('multiDevice')
    expect(verified.registrationInfo?.credentialBackedUp).toBe(true)
  })

  it('signs assertions the library verifies, with a growing counter and the user handle', async () => {
    const { authenticator, verified } = await registered()
    const credential = verified.registrationInfo!.credential
    const options = await generateAuthenticationOptions({ rpID: RP_ID, userVerification: 'required' })
    const assertion = authenticator.authenticate(options, { origin: ORIGIN })
    expect(assertion.response.userHandle).toBe(isoBase64URL.fromUTF8String('u_ada'))
    const result = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: options.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: true,
      credential,
    })
    expect(result).toMatchObject({ verified: true, authenticationInfo: { newCounter: 2, userVerified: true } })
  })

  it('signs what it is told: a wrong RP id, no UV, a tampered signature are refused by the library', async () => {
    const { authenticator, verified } = await registered()
    const credential = verified.registrationInfo!.credential
    const options = await generateAuthenticationOptions({ rpID: RP_ID })
    const check = (response: ReturnType<typeof authenticator.authenticate>) =>
      verifyAuthenticationResponse({
        response,
        expectedChallenge: options.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        requireUserVerification: true,
        credential: { ...credential, counter: 0 },
      })
    await expect(check(authenticator.authenticate(options, { origin: ORIGIN, rpId: 'evil.com' }))).rejects.toThrow(
      /RP ID/,
    )
    await expect(check(authenticator.authenticate(options, { origin: ORIGIN, userVerified: false }))).rejects.toThrow(
      /user verification/i,
    )
    const good = authenticator.authenticate(options, { origin: ORIGIN })
    const other = createSoftAuthenticator().authenticate(options, { origin: ORIGIN })
    const forged = { ...good, response: { ...good.response, signature: other.response.signature } }
    expect((await check(forged)).verified).toBe(false)
  })

  it('clones: same id and key, its own counter', async () => {
    const { authenticator } = await registered()
    const clone = authenticator.clone()
    expect(clone.id).toBe(authenticator.id)
    const options = await generateAuthenticationOptions({ rpID: RP_ID })
    authenticator.authenticate(options, { origin: ORIGIN })
    authenticator.authenticate(options, { origin: ORIGIN })
    expect(authenticator.counter).toBe(3)
    expect(clone.counter).toBe(1)
    expect(clone.authenticate(options, { origin: ORIGIN }).response.userHandle).toBe(authenticator.userHandle)
  })
})
