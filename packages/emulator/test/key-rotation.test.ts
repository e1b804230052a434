// Each pool's signing keys: an ID key and an access key in one JWKS, rotation (in-process and
// over the control server) that keeps old tokens valid while their key is published, retirement,
// shared keys for replicas, and the session bridge refusing a peer token signed with a key its
// deployment-time snapshot does not hold.
import {
  type CognitoIdentityProviderClient,
  GetUserCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { cognito, freshEmail, sdk, signedHeaders, signInWithCode, signUp, startSignIn } from './helpers/protocol.js'
import { failure } from './helpers/sdk-errors.js'

type Jwks = { keys: { kid: string; kty: string; alg: string; use: string; d?: string }[] }
const kidsOf = async (region: EmulatorRegion) =>
  ((await (await fetch(region.jwksUri)).json()) as Jwks).keys.map((key) => key.kid)
const kid = (token: string) => decodeProtectedHeader(token).kid

describe('signing keys and their rotation (pools)', () => {
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  let us: EmulatorRegion
  let client: CognitoIdentityProviderClient
  beforeAll(async () => {
    emulator = await startEmulator({ config: { triggers: { minSendIntervalSeconds: 0 } } })
    ;[eu, us] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
    client = sdk(eu)
  })
  afterAll(async () => {
    client?.destroy()
    await emulator?.close()
  })

  async function tokensIn(region: EmulatorRegion, email = freshEmail('keys')) {
    await signUp(region, email)
    return { email, ...(await signInWithCode(emulator, region, email)) }
  }

  it('publishes two keys per pool, and signs ID and access tokens with different ones', async () => {
    const jwks = (await (await fetch(eu.jwksUri)).json()) as Jwks
    expect(jwks.keys).toHaveLength(2)
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
      expect(key.d).toBeUndefined()
    }
    const { IdToken, AccessToken } = await tokensIn(eu)
    expect(kid(IdToken)).not.toBe(kid(AccessToken))
    expect(new Set([kid(IdToken), kid(AccessToken)])).toEqual(new Set(jwks.keys.map((key) => key.kid)))
    expect(new Set(await kidsOf(us)).has(kid(IdToken) ?? '')).toBe(false)
  })

  it('rotates: new tokens use the new pair, old tokens verify while their keys are published, until retired', async () => {
    const before = await tokensIn(eu)
    const oldKids = await kidsOf(eu)
    const usKids = await kidsOf(us)
    const rotated = await emulator.rotateKeys('eu-west-1')
    expect(rotated).toMatchObject({ userPoolId: eu.userPoolId, regions: ['eu-west-1'], retired: [] })
    expect(await kidsOf(eu)).toEqual([rotated.kids.id, rotated.kids.access, ...oldKids])
    expect(await kidsOf(us)).toEqual(usKids)

    const after = await signInWithCode(emulator, eu, before.email)
    expect([kid(after.IdToken), kid(after.AccessToken)]).toEqual([rotated.kids.id, rotated.kids.access])
    // An old token still passes the pool's own check and a verifier that reads the published JWKS.
    await expect(client.send(new GetUserCommand({ AccessToken: before.AccessToken }))).resolves.toBeTruthy()
    const verifier = CognitoJwtVerifier.create({ userPoolId: eu.userPoolId, clientId: eu.clientId, tokenUse: 'id' })
    verifier.cacheJwks((await (await fetch(eu.jwksUri)).json()) as Parameters<typeof verifier.cacheJwks>[0])
    await expect(verifier.verify(before.IdToken, { clientId: eu.clientId })).resolves.toBeTruthy()
    await expect(verifier.verify(after.IdToken, { clientId: eu.clientId })).resolves.toBeTruthy()

    const retiring = await emulator.rotateKeys({ region: 'eu-west-1', retire: true })
    expect(retiring.retired).toEqual([rotated.kids.id, rotated.kids.access, ...oldKids])
    expect(await kidsOf(eu)).toEqual([retiring.kids.id, retiring.kids.access])
    expect(await failure(client.send(new GetUserCommand({ AccessToken: before.AccessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
      status: 400,
    })
  })

  it('POST /_regionless/keys/rotate takes a region or a pool id, and refuses what names no pool', async () => {
    const rotate = (body: unknown) =>
      fetch(`${emulator.controlUrl}/_regionless/keys/rotate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
    const byPool = await rotate({ userPoolId: us.userPoolId })
    expect(byPool.status).toBe(200)
    const answer = (await byPool.json()) as { regions: string[]; kids: { id: string; access: string } }
    expect(answer.regions).toEqual(['us-east-1'])
    expect((await kidsOf(us)).slice(0, 2)).toEqual([answer.kids.id, answer.kids.access])
    expect((await rotate({ region: 'eu-west-1' })).status).toBe(200)

    for (const bad of [{ region: 'ap-south-1' }, {}, { region: 'eu-west-1', userPoolId: us.userPoolId }, '{']) {
      const refused = await rotate(bad)
      expect(refused.status).toBe(400)
      expect(((await refused.json()) as { error: string }).error).toEqual(expect.any(String))
    }
    await expect(emulator.rotateKeys('ap-south-1')).rejects.toThrow(TypeError)
  })
})

describe('the session bridge after a peer rotates its keys', () => {
  let emulator: RunningEmulator
  const lines: string[] = []
  beforeAll(async () => {
    emulator = await startEmulator({
      config: { triggers: { minSendIntervalSeconds: 0 } },
      log: (line) => lines.push(line),
    })
  })
  afterAll(() => emulator?.close())

  it('fails closed: a peer token signed with a key the deployment-time snapshot lacks is refused', async () => {
    const [eu, us] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
    const email = freshEmail('bridge-rotation')
    const username = usernameForEmail(email)
    await signUp(eu, email)
    const copy = await cognito(
      us.endpoint,
      'AdminCreateUser',
      {
        UserPoolId: us.userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      },
      { headers: signedHeaders('AdminCreateUser') },
    )
    expect(copy.status).toBe(200)
    const usClient = sdk(us)
    const bridge = async (idToken: string) => {
      const challenge = await startSignIn(us, username, { method: 'bridge' })
      return usClient.send(
        new RespondToAuthChallengeCommand({
          ClientId: us.clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: idToken },
          ClientMetadata: { method: 'bridge' },
        }),
      )
    }
    try {
      const signedBefore = await signInWithCode(emulator, eu, email)
      await emulator.rotateKeys(eu.region)
      const signedAfter = await signInWithCode(emulator, eu, email)
      expect(await failure(bridge(signedAfter.IdToken))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
        status: 400,
      })
      const verified = lines.filter((line) => line.includes('VerifyAuthChallengeResponse') && line.includes(username))
      expect(verified.at(-1)).toMatch(/bad signature/)
      // The key, nothing else, made the difference: a token of the same user signed before the rotation passes.
      const bridged = await bridge(signedBefore.IdToken)
      expect(bridged.AuthenticationResult?.IdToken).toEqual(expect.any(String))
    } finally {
      usClient.destroy()
    }
  })
})

describe('signing keys of replicas', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ topology: 'replicas' })
  })
  afterAll(() => emulator?.close())

  it('rotating either region rotates the keys both publish', async () => {
    const [primary, secondary] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
    const rotated = await emulator.rotateKeys(secondary.region)
    expect(rotated.regions).toEqual([primary.region, secondary.region])
    expect(await kidsOf(primary)).toEqual(await kidsOf(secondary))
    expect((await kidsOf(primary)).slice(0, 2)).toEqual([rotated.kids.id, rotated.kids.access])
  })
})
