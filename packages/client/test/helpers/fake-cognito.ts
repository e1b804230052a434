// A small in-memory Cognito for unit tests, speaking the JSON protocol through
// msw handlers keyed on X-Amz-Target. It follows the shared protocol contract
// (method step, code/link/bridge challenges) closely enough to drive every flow.
// test/contracts/fake-cognito.contract.test.ts holds its answers to the emulator's.
// Refresh follows Cognito's app client setting RefreshTokenRotation: off, a
// refresh answers ID and access tokens only; on, GetTokensFromRefreshToken
// answers a new refresh token too, the submitted one keeps working for the grace
// period only, and REFRESH_TOKEN_AUTH is refused.
import { HttpResponse, http } from 'msw'

// biome-ignore lint/suspicious/noExplicitAny: free-form protocol bodies, read loosely by a test fake
type Body = Record<string, any>

export type Fault = 'healthy' | 'down' | 'error' | 'throttle' | 'hang'

export interface FakeRegion {
  region: string
  userPoolId: string
  clientId: string
  endpoint: string
  apiUrl?: string
}

interface Challenge {
  region: string
  username: string
  known: boolean
  step: 'method' | 'code' | 'link' | 'bridge' | 'passkey'
  code?: string
  attemptsLeft: number
}

export interface SentMessage {
  region: string
  to: string
  code?: string
  link?: string
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
export const fakeJwt = (claims: Record<string, unknown>) => `${b64({ alg: 'none' })}.${b64(claims)}.sig`

export function regionsFor(names: string[], options: { topology?: 'pools' | 'replicas'; api?: boolean } = {}) {
  return names.map(
    (region, i): FakeRegion => ({
      region,
      userPoolId: options.topology === 'replicas' ? `${names[0]}_Shared` : `${region}_Pool${i}`,
      clientId: options.topology === 'replicas' ? 'shared-client' : `client-${region}`,
      endpoint: `https://cognito.${region}.test/`,
      ...(options.api ? { apiUrl: `https://api.${region}.test/v1` } : {}),
    }),
  )
}

export function createFakeCognito(regions: FakeRegion[], options: { expiresIn?: number; now?: () => number } = {}) {
  const now = options.now ?? Date.now
  const users = new Map<string, Map<string, string>>() // pool → username → email
  const challenges = new Map<string, Challenge>()
  // Refresh tokens of every pool; `family`: the sign-in it renews (revoking one revokes them all);
  // `spentAt`: when rotation replaced it.
  const refreshTokens = new Map<string, { region: string; username: string; family: string; spentAt?: number }>()
  const revokedFamilies = new Set<string>()
  let rotation: { graceSeconds: number } | undefined
  const legacy = new Set<string>()
  // Requests of one operation held until released, to order a race between tabs.
  let holding: string | undefined
  const held: Array<() => void> = []
  const usedLinks = new Set<string>()
  const faults = new Map<string, Fault>()
  // Every request, with the status it was answered (once answered by `handle`).
  const calls: Array<{ region: string; op: string; body: Body; status?: number }> = []
  const inbox: SentMessage[] = []
  let counter = 0
  let codeOverride: string | undefined
  const rateLimit = new Map<string, number>()
  let minSendIntervalSeconds = 0
  // Passkeys: credential id → username (the shared credential store every region sees).
  const passkeyOwners = new Map<string, string>()

  const poolOf = (r: FakeRegion) => {
    const pool = users.get(r.userPoolId) ?? new Map<string, string>()
    users.set(r.userPoolId, pool)
    return pool
  }
  const cognitoError = (type: string, message: string, status = 400) =>
    HttpResponse.json({ __type: type, message }, { status })
  const refused = (type: string, message: string) => ({ refused: { type, message } })

  // `family`: the sign-in a refresh renews, whose rotated refresh token joins it; none for a new sign-in.
  const issue = (r: FakeRegion, username: string, email: string, refresh = true, family?: string) => {
    counter++
    const exp = Math.floor(now() / 1000) + (options.expiresIn ?? 3600)
    const iss = `https://cognito-idp.${r.region}.amazonaws.com/${r.userPoolId}`
    const base = { sub: `sub-${r.region}-${username}`, 'cognito:username': username, iss, exp, n: counter }
    const result: Record<string, unknown> = {
      AccessToken: fakeJwt({ ...base, token_use: 'access', client_id: r.clientId }),
      IdToken: fakeJwt({ ...base, token_use: 'id', email, aud: r.clientId }),
      ExpiresIn: options.expiresIn ?? 3600,
      TokenType: 'Bearer',
    }
    if (refresh) {
      const rt = `rt-${r.region}-${counter}`
      refreshTokens.set(rt, { region: r.region, username, family: family ?? rt })
      result.RefreshToken = rt
    }
    return { AuthenticationResult: result }
  }

  const newSession = (c: Challenge) => {
    const id = `sess-${++counter}`
    challenges.set(id, c)
    return id
  }

  // By username only: the deployed pool has no email alias (the client signs in with usernameForEmail).
  const findUser = (r: FakeRegion, name: string): [string, string] | undefined => {
    const pool = poolOf(r)
    return pool.has(name) ? [name, pool.get(name)!] : undefined
  }

  const signedIn = (r: FakeRegion, username: string, email: string) => ({
    ChallengeParameters: {},
    ...issue(r, username, email),
  })

  // The owner of a refresh token this region's pool accepts now (replicas: one pool, both regions),
  // or Cognito's refusal: a token retired by rotation is RefreshTokenReuseException.
  const ownerOf = (r: FakeRegion, token: unknown) => {
    const owner = refreshTokens.get(token as string)
    const samePool = owner && regions.find((x) => x.region === owner.region)?.userPoolId === r.userPoolId
    const spent = owner?.spentAt !== undefined && now() >= owner.spentAt + (rotation?.graceSeconds ?? 0) * 1000
    if (!samePool) return refused('NotAuthorizedException', 'Invalid Refresh Token')
    if (revokedFamilies.has(owner.family)) return refused('NotAuthorizedException', 'Refresh Token has been revoked')
    return spent ? refused('RefreshTokenReuseException', 'Refresh Token has been rotated') : owner
  }

  function handle(r: FakeRegion, op: string, body: Body) {
    switch (op) {
      case 'GetTokensFromRefreshToken': {
        if (legacy.has(r.region)) return cognitoError('UnknownOperationException', op)
        if (body.ClientId !== r.clientId) return cognitoError('ResourceNotFoundException', 'client')
        const owner = ownerOf(r, body.RefreshToken)
        if ('refused' in owner) return cognitoError(owner.refused.type, owner.refused.message)
        if (rotation) owner.spentAt ??= now()
        const email = poolOf(r).get(owner.username) ?? ''
        return HttpResponse.json(issue(r, owner.username, email, !!rotation, owner.family))
      }
      case 'SignUp': {
        if (body.ClientId !== r.clientId) return cognitoError('ResourceNotFoundException', 'client')
        const pool = poolOf(r)
        if (pool.has(body.Username)) return cognitoError('UsernameExistsException', 'User already exists')
        const email = body.UserAttributes.find((a: { Name: string }) => a.Name === 'email').Value
        pool.set(body.Username, email.toLowerCase())
        return HttpResponse.json({ UserConfirmed: true, UserSub: `sub-${body.Username}` })
      }
      case 'InitiateAuth': {
        if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
          if (rotation)
            return cognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client')
          const owner = ownerOf(r, body.AuthParameters.REFRESH_TOKEN)
          if ('refused' in owner) return cognitoError(owner.refused.type, owner.refused.message)
          const email = poolOf(r).get(owner.username) ?? ''
          return HttpResponse.json({ ChallengeParameters: {}, ...issue(r, owner.username, email, false) })
        }
        const found = findUser(r, body.AuthParameters.USERNAME)
        const username = found?.[0] ?? body.AuthParameters.USERNAME
        const session = newSession({ region: r.region, username, known: !!found, step: 'method', attemptsLeft: 3 })
        return HttpResponse.json({
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: session,
          ChallengeParameters: { USERNAME: username, step: 'method' },
        })
      }
      case 'RespondToAuthChallenge': {
        const c = challenges.get(body.Session)
        challenges.delete(body.Session)
        if (!c || c.region !== r.region) return cognitoError('NotAuthorizedException', 'Invalid session for the user.')
        const answer = body.ChallengeResponses.ANSWER as string
        const meta = body.ClientMetadata ?? {}
        const email = poolOf(r).get(c.username) ?? ''
        if (c.step === 'method') {
          if (meta.method === 'code' || (meta.method === 'link' && meta.redeem !== 'true')) {
            const last = rateLimit.get(c.username) ?? -Infinity
            const wait = Math.ceil(minSendIntervalSeconds - (now() - last) / 1000)
            if (wait > 0) {
              return cognitoError(
                'UserLambdaValidationException',
                `CreateAuthChallenge failed with error RATE_LIMITED: wait retryAfterSeconds=${wait}`,
              )
            }
            rateLimit.set(c.username, now())
          }
          if (meta.method === 'code') {
            const code = codeOverride ?? String(100000 + counter)
            if (c.known) inbox.push({ region: r.region, to: email, code })
            const session = newSession({ ...c, step: 'code', code })
            return HttpResponse.json({
              ChallengeName: 'CUSTOM_CHALLENGE',
              Session: session,
              ChallengeParameters: { USERNAME: c.username, step: 'code', attemptsLeft: '3' },
            })
          }
          if (meta.method === 'link') {
            if (meta.redeem !== 'true') {
              if (!String(meta.redirectUri).startsWith('http://localhost')) {
                return cognitoError(
                  'UserLambdaValidationException',
                  'CreateAuthChallenge failed with error INVALID_REDIRECT: no',
                )
              }
              const token = fakeJwt({ sub: c.username, jti: `j${++counter}`, iss: r.userPoolId })
              if (c.known)
                inbox.push({ region: r.region, to: email, link: `${meta.redirectUri}#regionless-link=${token}` })
            }
            const session = newSession({ ...c, step: 'link' })
            return HttpResponse.json({
              ChallengeName: 'CUSTOM_CHALLENGE',
              Session: session,
              ChallengeParameters: { USERNAME: c.username, step: 'link' },
            })
          }
          if (meta.method === 'passkey') {
            // allowCredentials stays empty for everyone: listing them would tell a known user from an unknown one.
            const options = { challenge: `ch-${++counter}`, rpId: 'localhost', timeout: 60_000, allowCredentials: [] }
            const session = newSession({ ...c, step: 'passkey' })
            return HttpResponse.json({
              ChallengeName: 'CUSTOM_CHALLENGE',
              Session: session,
              ChallengeParameters: { USERNAME: c.username, step: 'passkey', options: JSON.stringify(options) },
            })
          }
          if (meta.method === 'bridge') {
            const session = newSession({ ...c, step: 'bridge' })
            return HttpResponse.json({
              ChallengeName: 'CUSTOM_CHALLENGE',
              Session: session,
              ChallengeParameters: { USERNAME: c.username, step: 'bridge' },
            })
          }
          return cognitoError('InvalidParameterException', 'method')
        }
        if (c.step === 'code') {
          if (c.known && answer === c.code) return HttpResponse.json(signedIn(r, c.username, email))
          if (c.attemptsLeft <= 1) return cognitoError('NotAuthorizedException', 'Incorrect username or password.')
          const attemptsLeft = c.attemptsLeft - 1
          const session = newSession({ ...c, attemptsLeft })
          return HttpResponse.json({
            ChallengeName: 'CUSTOM_CHALLENGE',
            Session: session,
            ChallengeParameters: { USERNAME: c.username, step: 'code', attemptsLeft: String(attemptsLeft) },
          })
        }
        if (c.step === 'passkey') {
          // The signature check is the backend's; the fake only knows whose credential answered.
          const id = (() => {
            try {
              return JSON.parse(answer).id
            } catch {}
          })()
          if (!c.known || passkeyOwners.get(id) !== c.username) {
            return cognitoError('NotAuthorizedException', 'Incorrect username or password.')
          }
          return HttpResponse.json(signedIn(r, c.username, email))
        }
        const claims = JSON.parse(Buffer.from(answer.split('.')[1] ?? '', 'base64url').toString() || '{}')
        if (c.step === 'link') {
          if (!c.known || claims.sub !== c.username || usedLinks.has(claims.jti)) {
            return cognitoError('NotAuthorizedException', 'Incorrect username or password.')
          }
          usedLinks.add(claims.jti)
          return HttpResponse.json(signedIn(r, c.username, email))
        }
        const fromPeer = typeof claims.iss === 'string' && !claims.iss.endsWith(r.userPoolId)
        if (!c.known || claims['cognito:username'] !== c.username || claims.token_use !== 'id' || !fromPeer) {
          return cognitoError('NotAuthorizedException', 'Incorrect username or password.')
        }
        return HttpResponse.json(signedIn(r, c.username, email))
      }
      // The region probe sends no token; the fake verifies none it issued, so any token is refused.
      case 'GetUser':
        if (!body.AccessToken) {
          return cognitoError(
            'InvalidParameterException',
            "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must not be null",
          )
        }
        return cognitoError('NotAuthorizedException', 'Invalid Access Token')
      case 'RevokeToken': {
        const family = refreshTokens.get(body.Token)?.family
        if (family) revokedFamilies.add(family)
        return HttpResponse.json({})
      }
      case 'GlobalSignOut':
        return HttpResponse.json({})
      default:
        return cognitoError('UnknownOperationException', op)
    }
  }

  const handlers = regions.map((r) =>
    http.post(r.endpoint, async ({ request }) => {
      const target = request.headers.get('x-amz-target') ?? ''
      const op = target.replace('AWSCognitoIdentityProviderService.', '')
      const body = (await request.json()) as Body
      const call: (typeof calls)[number] = { region: r.region, op, body }
      calls.push(call)
      if (op === holding) await new Promise<void>((resolve) => held.push(resolve))
      const fault = faults.get(r.region) ?? 'healthy'
      if (fault === 'down') return HttpResponse.error()
      if (fault === 'error') return cognitoError('InternalErrorException', 'boom', 500)
      if (fault === 'throttle') return cognitoError('TooManyRequestsException', 'Rate exceeded')
      if (fault === 'hang') {
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }))
        return HttpResponse.error()
      }
      if (request.headers.get('content-type') !== 'application/x-amz-json-1.1') {
        return cognitoError('UnknownOperationException', 'content-type')
      }
      const response = handle(r, op, body)
      call.status = response.status
      return response
    }),
  )

  return {
    handlers,
    calls,
    inbox,
    users: (region: string) => poolOf(regions.find((r) => r.region === region)!),
    addUser(email: string, username: string, only?: string[]) {
      for (const r of regions) if (!only || only.includes(r.region)) poolOf(r).set(username, email.toLowerCase())
    },
    /** Registers a passkey credential id for `username` (in the store every region sees). */
    addPasskey(credentialId: string, username: string) {
      passkeyOwners.set(credentialId, username)
    },
    setFault(region: string, fault: Fault) {
      faults.set(region, fault)
    },
    revokeRefreshTokens() {
      for (const { family } of refreshTokens.values()) revokedFamilies.add(family)
    },
    /** The app clients' refresh-token rotation: `{ graceSeconds }` turns it on, `false` off (the default). */
    setRotation(value: { graceSeconds: number } | false) {
      rotation = value || undefined
    },
    /** Makes `region` an older endpoint that does not know GetTokensFromRefreshToken. */
    setLegacy(region: string) {
      legacy.add(region)
    },
    /** True when `region` would accept this refresh token now. */
    refreshTokenValid: (region: string, token: string | undefined) =>
      !('refused' in ownerOf(regions.find((r) => r.region === region)!, token)),
    /** Holds every request of `op` (none: releases them all) until `releaseNext()`. */
    hold(op: string | undefined) {
      holding = op
      if (!op) for (const release of held.splice(0)) release()
    },
    heldCount: () => held.length,
    releaseNext: () => held.shift()?.(),
    setCode(code: string | undefined) {
      codeOverride = code
    },
    setMinSendInterval(seconds: number) {
      minSendIntervalSeconds = seconds
    },
    ops: (op: string, region?: string) => calls.filter((c) => c.op === op && (!region || c.region === region)),
    lastCode: () => [...inbox].reverse().find((m) => m.code)?.code,
  }
}
