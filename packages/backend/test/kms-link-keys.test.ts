import { generateKeyPairSync, sign, verify } from 'node:crypto'
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms'
import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { derToJoseSignature } from '../src/links/der-signature.js'
import { createKmsLinkSigner, createKmsLinkVerifier } from '../src/links/kms-link-keys.js'
import type { LinkClaims } from '../src/links/link-token.js'
import { mockKms } from './helpers/aws-fakes.js'

const claims: LinkClaims = {
  sub: 'u_b5fc85e55755f9e0d030a10ab4429b6b',
  iat: 1_768_478_400,
  exp: 1_768_479_300,
  jti: '3f0b8f8e-5a1c-4d7e-9a57-0c1f2e3d4b5a',
  iss: 'eu-west-1_Abc123',
  aud: 'regionless-test',
}
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab'

describe('derToJoseSignature', () => {
  it('turns DER ECDSA signatures into r||s that verify as IEEE P1363, including short r or s', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const lengths = new Set<number>()
    // Random signatures: over 200 tries some r or s lose a leading byte (≈ 1/128 each), covering padding.
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`message ${i}`)
      const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' })
      lengths.add(der.length)
      const raw = derToJoseSignature(der)
      expect(raw).toHaveLength(64)
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true)
    }
    expect(lengths.size).toBeGreaterThan(1)
  })

  it.each([
    ['not a sequence', [0x31, 0x00]],
    ['truncated', [0x30, 0x06, 0x02, 0x01, 0x01]],
    ['trailing bytes', [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00]],
    ['integer too large', [0x30, 0x26, 0x02, 0x21, ...new Array(33).fill(1), 0x02, 0x01, 0x01]],
  ])('rejects malformed DER (%s)', (_, bytes) => {
    expect(() => derToJoseSignature(new Uint8Array(bytes))).toThrow(/invalid DER/)
  })
})

describe('KMS link signer and verifier', () => {
  it('signs with KMS Sign (ECDSA_SHA_256, RAW) into a compact ES256 JWS that the cached public key verifies', async () => {
    const { kms } = mockKms()
    const client = new KMSClient({ region: 'eu-west-1' })
    const token = await createKmsLinkSigner({ client, keyId: KEY_ARN }).sign(claims)
    const call = kms.commandCalls(SignCommand)[0]?.args[0].input
    expect(call).toMatchObject({ KeyId: KEY_ARN, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })
    expect(new TextDecoder().decode(call?.Message)).toBe(token.split('.').slice(0, 2).join('.'))
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: 'mrk-1234abcd12ab34cd56ef1234567890ab',
    })
    const verifier = createKmsLinkVerifier({ client, keyId: KEY_ARN })
    expect(await verifier.verify(token)).toEqual(claims)
    expect(await verifier.verify(token)).toEqual(claims)
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1)
  })

  it('rejects a tampered payload and a token signed by another key', async () => {
    mockKms()
    const client = new KMSClient({ region: 'eu-west-1' })
    const token = await createKmsLinkSigner({ client, keyId: KEY_ARN }).sign(claims)
    const verifier = createKmsLinkVerifier({ client, keyId: KEY_ARN })
    const [header, , signature] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'u_someone_else' })).toString('base64url')
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toThrow()
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' })
    await expect(createKmsLinkVerifier({ publicKey: String(other) }).verify(token)).rejects.toThrow()
  })

  it('retries GetPublicKey on the next call when the first one failed, then caches', async () => {
    const { kms, spki } = mockKms()
    const client = new KMSClient({ region: 'eu-west-1' })
    const token = await createKmsLinkSigner({ client, keyId: KEY_ARN }).sign(claims)
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves({ PublicKey: spki, KeySpec: 'ECC_NIST_P256' })
    const verifier = createKmsLinkVerifier({ client, keyId: KEY_ARN })
    await expect(verifier.verify(token)).rejects.toThrow('ThrottlingException')
    expect(await verifier.verify(token)).toEqual(claims)
    expect(await verifier.verify(token)).toEqual(claims)
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2)
  })

  it('verifies with a configured PEM public key and never calls KMS', async () => {
    const { kms, privateKey } = mockKms()
    const client = new KMSClient({ region: 'eu-west-1' })
    const token = await createKmsLinkSigner({ client, keyId: KEY_ARN }).sign(claims)
    kms.reset()
    const pem = String(
      (await import('node:crypto')).createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }),
    )
    expect(await createKmsLinkVerifier({ publicKey: pem }).verify(token)).toEqual(claims)
    expect(kms.calls()).toHaveLength(0)
  })

  it('refuses tokens whose header claims another algorithm', async () => {
    const { privateKey } = mockKms()
    const pem = String(
      (await import('node:crypto')).createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }),
    )
    const verifier = createKmsLinkVerifier({ publicKey: pem })
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
    await expect(verifier.verify(none)).rejects.toThrow()
    const hs = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`
    await expect(verifier.verify(hs)).rejects.toThrow(/unexpected algorithm/)
  })

  it('refuses a KMS key that is not P-256 and bad constructor input', async () => {
    const client = new KMSClient({ region: 'eu-west-1' })
    const kms = mockKms().kms
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: new Uint8Array([1]), KeySpec: 'RSA_2048' })
    await expect(createKmsLinkVerifier({ client, keyId: KEY_ARN }).verify('a.b.c')).rejects.toThrow(/ECC_NIST_P256/)
    expect(() => createKmsLinkVerifier({})).toThrow(TypeError)
    expect(() => createKmsLinkSigner({ client, keyId: '' })).toThrow(TypeError)
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' })
    expect(() => createKmsLinkVerifier({ publicKey: String(rsa) })).toThrow(/P-256/)
  })
})
