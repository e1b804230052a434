import { CognitoJwtVerifier } from 'aws-jwt-verify'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator, type Topology } from '../src/index.js'
import { cognito, freshEmail, signInWithCode, signUp } from './helpers/protocol.js'

describe.each<Topology>(['pools', 'replicas'])('tokens and JWKS (%s)', (topology) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ topology, config: { replicaLagMs: 0 } })
  })
  afterAll(() => emulator?.close())

  async function tokens() {
    const region = emulator.config.regions[0]!
    const email = freshEmail('tokens')
    await signUp(region, email)
    return { region, email, ...(await signInWithCode(emulator, region, email)) }
  }

  it('serves JWKS and openid-configuration for each pool, with the issuer tokens carry', async () => {
    for (const region of emulator.config.regions) {
      const jwks = (await (await fetch(region.jwksUri)).json()) as { keys: Record<string, string>[] }
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB', kid: expect.any(String) })
      expect(jwks.keys[0]?.d).toBeUndefined()
      const openid = (await (
        await fetch(`${region.endpoint}/${region.userPoolId}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>
      expect(openid).toMatchObject({ issuer: region.issuer, jwks_uri: region.jwksUri })
    }
    const [a, b] = emulator.config.regions
    const kids = await Promise.all(
      [a, b].map(
        async (r) => ((await (await fetch(r?.jwksUri ?? '')).json()) as { keys: { kid: string }[] }).keys[0]?.kid,
      ),
    )
    // Independent pools have their own keys; replicas publish the same ones.
    if (topology === 'pools') expect(kids[0]).not.toBe(kids[1])
    else expect(kids[0]).toBe(kids[1])
    if (topology === 'replicas') {
      expect(a?.issuer).toBe(`https://issuer-cognito-idp.${a?.region}.amazonaws.com/${a?.userPoolId}`)
      expect(b?.issuer).toBe(a?.issuer)
      expect(b?.userPoolId).toBe(a?.userPoolId)
    }
  })

  it('tokens pass aws-jwt-verify with the JWKS fetched from the emulator', async () => {
    const { region, IdToken, AccessToken } = await tokens()
    const jwks = await (await fetch(region.jwksUri)).json()
    for (const [tokenUse, token] of [
      ['id', IdToken],
      ['access', AccessToken],
    ] as const) {
      const verifier = CognitoJwtVerifier.create({ userPoolId: region.userPoolId, clientId: region.clientId, tokenUse })
      verifier.cacheJwks(jwks as Parameters<typeof verifier.cacheJwks>[0])
      const payload = await verifier.verify(token)
      expect(payload.token_use).toBe(tokenUse)
      expect(payload.iss).toBe(region.issuer)
    }
    const wrongClient = CognitoJwtVerifier.create({ userPoolId: region.userPoolId, clientId: 'other', tokenUse: 'id' })
    wrongClient.cacheJwks(jwks as Parameters<typeof wrongClient.cacheJwks>[0])
    await expect(wrongClient.verify(IdToken)).rejects.toThrow(/audience/i)
  })

  it('tokens pass jose with createRemoteJWKSet, in every region of the deployment', async () => {
    const { region, IdToken, AccessToken } = await tokens()
    const keys = createRemoteJWKSet(new URL(region.jwksUri))
    const id = await jwtVerify(IdToken, keys, {
      issuer: region.issuer,
      audience: region.clientId,
      algorithms: ['RS256'],
    })
    const access = await jwtVerify(AccessToken, keys, { issuer: region.issuer, algorithms: ['RS256'] })
    const other = emulator.config.regions[1]!
    const otherKeys = createRemoteJWKSet(new URL(other.jwksUri))
    if (topology === 'replicas')
      await expect(jwtVerify(IdToken, otherKeys, { issuer: other.issuer })).resolves.toBeTruthy()
    else await expect(jwtVerify(IdToken, otherKeys)).rejects.toThrow()
    expect(id.protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) })
    expect(access.payload.client_id).toBe(region.clientId)
  })

  it("carry Cognito's claims", async () => {
    const { region, IdToken, AccessToken, RefreshToken, email } = await tokens()
    const id = decodeJwt(IdToken)
    const access = decodeJwt(AccessToken)
    expect(id).toMatchObject({
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      email_verified: true,
      iss: region.issuer,
      'cognito:username': expect.stringMatching(/^u_[0-9a-f]{32}$/),
      aud: region.clientId,
      token_use: 'id',
    })
    expect(access).toMatchObject({
      sub: id.sub,
      iss: region.issuer,
      client_id: region.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: id['cognito:username'],
    })
    expect(access.aud).toBeUndefined()
    for (const claims of [id, access]) {
      for (const name of ['jti', 'origin_jti', 'event_id']) expect(claims[name]).toEqual(expect.any(String))
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600)
      expect(claims.auth_time).toBe(claims.iat)
    }
    expect(id.origin_jti).toBe(access.origin_jti)
    expect(id.event_id).toBe(access.event_id)
    expect(id.jti).not.toBe(access.jti)
    // Cognito signs the two kinds with different keys of the pool's JWKS.
    expect(decodeProtectedHeader(IdToken).kid).not.toBe(decodeProtectedHeader(AccessToken).kid)

    const refreshed = await cognito(region.endpoint, 'InitiateAuth', {
      ClientId: region.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: RefreshToken },
    })
    const again = decodeJwt(refreshed.body.AuthenticationResult.IdToken)
    // A refresh keeps the sign-in (origin_jti, auth_time) and is a new event.
    expect(again.origin_jti).toBe(id.origin_jti)
    expect(again.auth_time).toBe(id.auth_time)
    expect(again.jti).not.toBe(id.jti)
  })
})
