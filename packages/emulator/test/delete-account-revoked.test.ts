import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { SQSClient } from '@aws-sdk/client-sqs'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The deploy app's DELETE /me handler, as its Lambda entry builds it from the environment.
import { type AuthorizedHttpEvent, createReplicationHandlersFromEnv } from '../../backend/src/replication/from-env.js'
import type { RunningEmulator } from '../src/index.js'
import { cognito, freshEmail, signInWithCode, signUp } from './helpers/protocol.js'
import { poolUsers, startReplicated } from './helpers/replication.js'

// A signed-out (or revoked) access token still passes an offline check until it expires: DELETE /me
// must ask the issuing pool (GetUser) and refuse it, deleting nothing.

const CREDENTIALS = { accessKeyId: 'AKIDDELETEME', secretAccessKey: 'delete-me' }

let emulator: RunningEmulator
let handlers: ReturnType<typeof createReplicationHandlersFromEnv>
const clients: { destroy(): void }[] = []

beforeAll(async () => {
  emulator = await startReplicated(['eu-west-1', 'us-east-1'])
  const [eu] = emulator.config.regions
  handlers = createReplicationHandlersFromEnv(
    {
      AWS_REGION: 'eu-west-1',
      REGIONLESS_USER_POOL_ID: eu!.userPoolId,
      REGIONLESS_PEER_POOLS: JSON.stringify(
        emulator.config.regions.map((r) => ({ region: r.region, userPoolId: r.userPoolId })),
      ),
      REGIONLESS_REPLICATION_QUEUE_URL: emulator.queues.regions[0]!.queueUrl,
    },
    {
      cognito: (region) => {
        const endpoint = emulator.config.regions.find((r) => r.region === region)!.endpoint
        const client = new CognitoIdentityProviderClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 1 })
        clients.push(client)
        return client
      },
      sqs: new SQSClient({ region: 'eu-west-1', endpoint: emulator.queues.endpoint, credentials: CREDENTIALS }),
    },
  )
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await emulator?.close()
})

/** What API Gateway hands the function once the verifier's authorizer accepted the token (checked offline). */
function deleteMeRequest(accessToken: string): AuthorizedHttpEvent {
  const claims = decodeJwt(accessToken)
  const issuer = String(claims.iss)
  return {
    headers: { authorization: `Bearer ${accessToken}` },
    requestContext: {
      authorizer: {
        lambda: {
          username: String(claims.username),
          tokenUse: String(claims.token_use),
          userPoolId: issuer.slice(issuer.lastIndexOf('/') + 1),
          region: 'eu-west-1',
        },
      },
    },
  } as unknown as AuthorizedHttpEvent
}

async function signedInUser() {
  const eu = emulator.config.regions[0]!
  const email = freshEmail('delete-me')
  await signUp(eu, email)
  await emulator.replication!.drained()
  const tokens = await signInWithCode(emulator, eu, email)
  return { tokens, username: String(decodeJwt(tokens.AccessToken).username) }
}

const everywhere = async (username: string) =>
  Promise.all(['eu-west-1', 'us-east-1'].map(async (region) => (await poolUsers(emulator, region)).has(username)))

describe('DELETE /me with a token Cognito no longer accepts', { timeout: 30_000 }, () => {
  it('after GlobalSignOut: 401 with a clear error, and the user still exists in every pool', async () => {
    const { tokens, username } = await signedInUser()
    const eu = emulator.config.regions[0]!
    expect((await cognito(eu.endpoint, 'GlobalSignOut', { AccessToken: tokens.AccessToken })).status).toBe(200)

    const res = await handlers.accountDeletion(deleteMeRequest(tokens.AccessToken))
    expect(res.statusCode).toBe(401)
    expect(JSON.parse(String(res.body))).toEqual({ error: 'token_revoked', message: expect.stringMatching(/sign in/) })
    expect(await everywhere(username)).toEqual([true, true])
  })

  it('after RevokeToken of its refresh token: 401, and nothing is deleted', async () => {
    const { tokens, username } = await signedInUser()
    const eu = emulator.config.regions[0]!
    const revoke = await cognito(eu.endpoint, 'RevokeToken', { ClientId: eu.clientId, Token: tokens.RefreshToken })
    expect(revoke.status).toBe(200)

    const res = await handlers.accountDeletion(deleteMeRequest(tokens.AccessToken))
    expect(res.statusCode).toBe(401)
    expect(await everywhere(username)).toEqual([true, true])
  })

  it('a live token still deletes the account in every pool', async () => {
    const { tokens, username } = await signedInUser()
    const res = await handlers.accountDeletion(deleteMeRequest(tokens.AccessToken))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(String(res.body))).toEqual({ deleted: ['eu-west-1', 'us-east-1'], absent: [], queued: [] })
    expect(await everywhere(username)).toEqual([false, false])
  })
})
