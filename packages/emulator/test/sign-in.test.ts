import { usernameForEmail } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator, type Topology } from '../src/index.js'
import {
  answer,
  cognito,
  freshEmail,
  inbox,
  linkToken,
  signedHeaders,
  signInWithCode,
  signUp,
  startSignIn,
} from './helpers/protocol.js'

describe.each<Topology>(['pools', 'replicas'])('sign-in over HTTP (%s)', (topology) => {
  let emulator: RunningEmulator
  const lines: string[] = []
  beforeAll(async () => {
    emulator = await startEmulator({ topology, config: { replicaLagMs: 0 }, log: (line) => lines.push(line) })
  })
  afterAll(() => emulator?.close())

  const regions = () => emulator.config.regions
  const first = () => regions()[0]!
  const second = () => regions()[1]!

  it('signs in with an emailed code read from the inbox', async () => {
    const email = freshEmail('code')
    const up = await signUp(first(), email)
    expect(up.status).toBe(200)
    expect(up.body.UserConfirmed).toBe(true)

    const challenge = await startSignIn(first(), email, { method: 'code' })
    expect(challenge.ChallengeParameters).toMatchObject({
      step: 'code',
      attemptsLeft: '3',
      USERNAME: usernameForEmail(email),
    })
    const [mail] = await inbox(emulator, email)
    expect(mail).toMatchObject({ region: first().region, kind: 'code', to: email })
    expect(mail?.code).toMatch(/^\d{6}$/)
    const done = await answer(first(), challenge, mail?.code ?? '', { method: 'code' })
    expect(done.status).toBe(200)
    expect(done.body.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 })
    expect(done.body.AuthenticationResult.RefreshToken).toEqual(expect.any(String))
  })

  it('a wrong code costs an attempt and keeps the same code valid', async () => {
    const email = freshEmail('wrong')
    await signUp(first(), email)
    const challenge = await startSignIn(first(), email, { method: 'code' })
    const [mail] = await inbox(emulator, email)
    const code = mail?.code ?? ''
    const wrong = code === '000000' ? '111111' : '000000'
    const retry = await answer(first(), challenge, wrong, { method: 'code' })
    expect(retry.status).toBe(200)
    expect(retry.body.ChallengeName).toBe('CUSTOM_CHALLENGE')
    expect(retry.body.ChallengeParameters).toMatchObject({ step: 'code', attemptsLeft: '2' })
    expect(await inbox(emulator, email)).toHaveLength(1)
    const done = await answer(first(), retry.body, code, { method: 'code' })
    expect(done.body.AuthenticationResult?.IdToken).toEqual(expect.any(String))
    // One readable line per trigger call, with the backend's reason, and never the code itself.
    const username = usernameForEmail(email)
    const mine = lines.filter((line) => line.includes(username) || line.includes(email))
    expect(
      mine.some((line) => /VerifyAuthChallengeResponse_Authentication .* → answer not correct \(.+\)/.test(line)),
    ).toBe(true)
    expect(mine.some((line) => /\[email\] .* code mail to /.test(line))).toBe(true)
    expect(mine.filter((line) => line.includes(code))).toEqual([])
  })

  it('three wrong codes fail the sign-in like Cognito', async () => {
    const email = freshEmail('thrice')
    await signUp(first(), email)
    let challenge = await startSignIn(first(), email, { method: 'code' })
    const code = (await inbox(emulator, email))[0]?.code
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 2; i++) challenge = (await answer(first(), challenge, wrong, { method: 'code' })).body
    const last = await answer(first(), challenge, wrong, { method: 'code' })
    expect(last.status).toBe(400)
    expect(last.body).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  })

  it('refuses a replayed session string', async () => {
    const email = freshEmail('replay')
    await signUp(first(), email)
    const init = await cognito(first().endpoint, 'InitiateAuth', {
      ClientId: first().clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email) },
    })
    const once = await answer(first(), init.body, '__method', { method: 'code' })
    expect(once.status).toBe(200)
    const again = await answer(first(), init.body, '__method', { method: 'code' })
    expect(again.status).toBe(400)
    expect(again.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid session for the user.' })
  })

  it('signs in with a magic link, redeemed in the other region, once', async () => {
    const email = freshEmail('link')
    await signUp(first(), email)
    const username = usernameForEmail(email)
    if (topology === 'pools') {
      // Pools are independent: the user must exist in the peer (what replication does).
      const admin = await cognito(
        second().endpoint,
        'AdminCreateUser',
        {
          UserPoolId: second().userPoolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        },
        { headers: signedHeaders('AdminCreateUser') },
      )
      expect(admin.status).toBe(200)
    } else {
      await emulator.replicas!.settled()
      const users = (await (
        await fetch(`${emulator.controlUrl}/_regionless/users?region=${second().region}`)
      ).json()) as { username: string }[]
      expect(users.map((u) => u.username)).toContain(username)
    }
    const sent = await startSignIn(first(), email, { method: 'link', redirectUri: 'http://localhost:5173/welcome' })
    expect(sent.ChallengeParameters).toMatchObject({ step: 'link' })
    const [mail] = await inbox(emulator, email)
    expect(mail?.kind).toBe('link')
    expect(mail?.link).toMatch(/^http:\/\/localhost:5173\/welcome#regionless-link=/)
    const { token, username: sub } = linkToken(mail?.link ?? '')
    expect(sub).toBe(username)

    const redeem = async () => {
      const challenge = await startSignIn(second(), sub, { method: 'link', redeem: 'true' })
      return answer(second(), challenge, token, { method: 'link', redeem: 'true' })
    }
    const done = await redeem()
    expect(done.status).toBe(200)
    expect(done.body.AuthenticationResult?.AccessToken).toEqual(expect.any(String))
    expect(await inbox(emulator, email)).toHaveLength(1)
    const replay = await redeem()
    expect(replay.body.__type).toBe('NotAuthorizedException')
  })

  it('refuses a link to a redirect that is not allow-listed, naming the reason', async () => {
    const email = freshEmail('redirect')
    await signUp(first(), email)
    const init = await cognito(first().endpoint, 'InitiateAuth', {
      ClientId: first().clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email) },
    })
    const res = await answer(first(), init.body, '__method', { method: 'link', redirectUri: 'https://evil.example/' })
    expect(res.status).toBe(400)
    expect(res.body.__type).toBe('UserLambdaValidationException')
    expect(res.body.message).toMatch(/^CreateAuthChallenge failed with error INVALID_REDIRECT:.*\.$/)
    expect(await inbox(emulator, email)).toHaveLength(0)
  })

  it('answers an unknown email exactly like a known one, and never sends mail', async () => {
    const email = freshEmail('ghost')
    const challenge = await startSignIn(first(), email, { method: 'code' })
    expect(challenge.ChallengeName).toBe('CUSTOM_CHALLENGE')
    expect(challenge.ChallengeParameters).toMatchObject({ step: 'code', attemptsLeft: '3' })
    expect(await inbox(emulator, email)).toHaveLength(0)
    const res = await answer(first(), challenge, '123456', { method: 'code' })
    expect(res.body.ChallengeParameters).toMatchObject({ step: 'code', attemptsLeft: '2' })
  })

  it('limits emails per user: a second send within the interval is RATE_LIMITED', async () => {
    const email = freshEmail('throttle')
    await signUp(first(), email)
    await startSignIn(first(), email, { method: 'code' })
    const init = await cognito(first().endpoint, 'InitiateAuth', {
      ClientId: first().clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: usernameForEmail(email) },
    })
    const again = await answer(first(), init.body, '__method', { method: 'code' })
    expect(again.body.__type).toBe('UserLambdaValidationException')
    expect(again.body.message).toMatch(/^CreateAuthChallenge failed with error RATE_LIMITED: .*retryAfterSeconds=\d+/)
    expect(await inbox(emulator, email)).toHaveLength(1)
  })

  it('bridges a session between pools (a replica has no peer pool to bridge from)', async () => {
    const email = freshEmail('bridge')
    await signUp(first(), email)
    const username = usernameForEmail(email)
    if (topology === 'replicas') {
      const init = await cognito(first().endpoint, 'InitiateAuth', {
        ClientId: first().clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: username },
      })
      const refused = await answer(first(), init.body, '__method', { method: 'bridge' })
      expect(refused.body.__type).toBe('UserLambdaValidationException')
      expect(refused.body.message).toMatch(/^CreateAuthChallenge failed with error INVALID_METHOD/)
      return
    }
    const admin = await cognito(
      second().endpoint,
      'AdminCreateUser',
      {
        UserPoolId: second().userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      },
      { headers: signedHeaders('AdminCreateUser') },
    )
    expect(admin.status).toBe(200)
    const tokens = await signInWithCode(emulator, first(), email)
    const challenge = await startSignIn(second(), username, { method: 'bridge' })
    expect(challenge.ChallengeParameters.step).toBe('bridge')
    const done = await answer(second(), challenge, tokens.IdToken, { method: 'bridge' })
    expect(done.status).toBe(200)
    expect(done.body.AuthenticationResult?.IdToken).toEqual(expect.any(String))
    // The bridge token is single use.
    const again = await startSignIn(second(), username, { method: 'bridge' })
    const replay = await answer(second(), again, tokens.IdToken, { method: 'bridge' })
    expect(replay.body.__type).toBe('NotAuthorizedException')
  })

  it('refreshes tokens in either region', async () => {
    const email = freshEmail('refresh')
    await signUp(first(), email)
    const tokens = await signInWithCode(emulator, first(), email)
    const here = await cognito(first().endpoint, 'InitiateAuth', {
      ClientId: first().clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    })
    expect(here.status).toBe(200)
    expect(here.body.AuthenticationResult.RefreshToken).toBeUndefined()
    const there = await cognito(second().endpoint, 'InitiateAuth', {
      ClientId: second().clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    })
    // Replicas share refresh tokens; independent pools do not.
    if (topology === 'replicas') expect(there.status).toBe(200)
    else expect(there.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' })
  })
})

describe('challenge sessions expire', () => {
  let now = Date.now()
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => now, config: { client: { authSessionValidityMinutes: 5 } } })
  })
  afterAll(() => emulator?.close())

  it('after the app client AuthSessionValidity', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('expiry')
    await signUp(region, email)
    const challenge = await startSignIn(region, email, { method: 'code' })
    now += 5 * 60_000 - 1
    const code = (await inbox(emulator, email))[0]?.code ?? ''
    const wrong = code === '000000' ? '111111' : '000000'
    const stillValid = await answer(region, challenge, wrong, { method: 'code' })
    expect(stillValid.status).toBe(200)
    now += 5 * 60_000
    const late = await answer(region, stillValid.body, code, { method: 'code' })
    expect(late.status).toBe(400)
    expect(late.body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    })
  })

  it('access tokens expire after an hour, refresh tokens after the configured days', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('token-expiry')
    await signUp(region, email)
    const tokens = await signInWithCode(emulator, region, email)
    expect((await cognito(region.endpoint, 'GetUser', { AccessToken: tokens.AccessToken })).status).toBe(200)
    now += 3_600_000 + 1_000
    const stale = await cognito(region.endpoint, 'GetUser', { AccessToken: tokens.AccessToken })
    expect(stale.body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has expired' })
    const refresh = () =>
      cognito(region.endpoint, 'InitiateAuth', {
        ClientId: region.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
      })
    expect((await refresh()).status).toBe(200)
    now += 30 * 86_400_000
    expect((await refresh()).body).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has expired' })
  })
})
