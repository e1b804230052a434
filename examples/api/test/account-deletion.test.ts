import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountDeletionFromEmulator } from '../src/account-deletion.js'
import { loadPoolsFromEmulator, startExampleApi } from '../src/server.js'
import { signIn } from './helpers/sign-in.js'

// DELETE /me on the example API: the signed-in user deletes their account, and it goes from every
// region's pool, also from a region that is down at the time (its delete waits in the queue).

let emulator: RunningEmulator
let api: Awaited<ReturnType<typeof startExampleApi>>

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topology: 'pools',
    log: () => {},
    // Short back-offs, so a region that comes back is retried within the test's time.
    replication: {
      transientBackoff: { baseSeconds: 1, maxSeconds: 2 },
      throttleBackoff: { baseSeconds: 1, maxSeconds: 2 },
    },
  })
  const accountDeletion = await accountDeletionFromEmulator(emulator.controlUrl, 'eu-west-1')
  api = await startExampleApi({
    region: 'eu-west-1',
    pools: await loadPoolsFromEmulator(emulator.controlUrl),
    ...(accountDeletion && { accountDeletion }),
  })
})
afterAll(async () => {
  await api?.close()
  await emulator?.close()
})

const usernamesIn = async (region: string) =>
  (
    (await (await fetch(`${emulator.controlUrl}/_regionless/users?region=${region}`)).json()) as { username: string }[]
  ).map((u) => u.username)

const deleteMe = (accessToken?: string) =>
  fetch(`${api.url}/me`, {
    method: 'DELETE',
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  })

// A region coming back is retried after the queue's back-off (1–2 s here): ~5 s a test on an idle machine.
describe('DELETE /me (account deletion in every region)', { timeout: 30_000 }, () => {
  it('removes the account from every pool', async () => {
    const session = await signIn(emulator, 'delete-a@example.com', 'eu-west-1')
    expect(await usernamesIn('us-east-1')).toContain(session.userId)
    const res = await deleteMe(session.tokens.accessToken)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ deleted: ['eu-west-1', 'us-east-1'], absent: [], queued: [] })
    await emulator.replication!.drained()
    for (const region of ['eu-west-1', 'us-east-1']) expect(await usernamesIn(region)).not.toContain(session.userId)
  })

  it('reaches a region that is down when it comes back, and nothing brings the account back', async () => {
    await emulator.setFault({ region: 'us-east-1', mode: 'down' })
    let userId: string
    try {
      // Signed up while us-east-1 is down: its creation there waits in the queue, like the delete below.
      const session = await signIn(emulator, 'delete-b@example.com', 'eu-west-1')
      userId = session.userId
      const res = await deleteMe(session.tokens.accessToken)
      expect(await res.json()).toEqual({ deleted: ['eu-west-1'], absent: [], queued: ['us-east-1'] })
    } finally {
      await emulator.setFault({ region: 'us-east-1', mode: 'healthy' })
    }
    await emulator.replication!.drained()
    for (const region of ['eu-west-1', 'us-east-1']) expect(await usernamesIn(region)).not.toContain(userId)
  })

  it('answers 401 to a token revoked by sign-out (it still passes the offline check) and deletes nothing', async () => {
    const session = await signIn(emulator, 'delete-d@example.com', 'eu-west-1')
    const eu = emulator.config.regions.find((r) => r.region === 'eu-west-1')!
    const signOut = await fetch(eu.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GlobalSignOut',
      },
      body: JSON.stringify({ AccessToken: session.tokens.accessToken }),
    })
    expect(signOut.status).toBe(200)
    const res = await deleteMe(session.tokens.accessToken)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: 'token_revoked' })
    await emulator.replication!.drained()
    expect(await usernamesIn('eu-west-1')).toContain(session.userId)
    expect(await usernamesIn('us-east-1')).toContain(session.userId)
  })

  it('answers 401 without a valid token and deletes nothing', async () => {
    const session = await signIn(emulator, 'delete-c@example.com', 'eu-west-1')
    expect((await deleteMe()).status).toBe(401)
    expect((await deleteMe(`${session.tokens.accessToken}x`)).status).toBe(401)
    expect((await deleteMe(session.tokens.idToken)).status).toBe(401)
    // us-east-1 was down a moment ago, so its copy of a new user comes through the queue.
    await emulator.replication!.drained()
    expect(await usernamesIn('eu-west-1')).toContain(session.userId)
    expect(await usernamesIn('us-east-1')).toContain(session.userId)
  })
})
