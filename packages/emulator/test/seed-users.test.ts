import { createHash } from 'node:crypto'
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { type EmulatorRegion, type RunningEmulator, SeedError, startEmulator } from '../src/index.js'
import { sdk } from './helpers/protocol.js'
import { drained, poolUsers, startReplicated } from './helpers/replication.js'

const hexName = (tag: string, i: number) => `u_${createHash('sha256').update(`${tag}:${i}`).digest('hex').slice(0, 32)}`

async function post(emulator: RunningEmulator, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.controlUrl}/_regionless/users/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Every user a ListUsers walk of `filter` returns, through the SDK. */
async function listAll(client: CognitoIdentityProviderClient, userPoolId: string, filter: string) {
  const users: UserType[] = []
  let token: string | undefined
  do {
    const page = await client.send(
      new ListUsersCommand({ UserPoolId: userPoolId, Filter: filter, PaginationToken: token }),
    )
    users.push(...(page.Users ?? []))
    token = page.PaginationToken
  } while (token)
  return users
}

describe('bulk seeding', () => {
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  beforeAll(async () => {
    emulator = await startEmulator({ regions: ['eu-west-1', 'us-east-1'] })
    eu = emulator.config.regions[0] as EmulatorRegion
  })
  afterAll(() => emulator?.close())

  it('POST /_regionless/users/seed writes 100 000 users that ListUsers pages through by prefix', async () => {
    const users = Array.from({ length: 100_000 }, (_, i) => ({
      username: hexName('bulk', i),
      attributes: { email: `bulk${i}@example.com`, email_verified: 'true' },
    }))
    const res = await post(emulator, { region: 'eu-west-1', users })
    expect(res).toEqual({
      status: 200,
      body: { region: 'eu-west-1', userPoolId: eu.userPoolId, seeded: 100_000, total: 100_000 },
    })
    const client = sdk(eu)
    const found = await listAll(client, eu.userPoolId, 'username ^= "u_3a"')
    const expected = users.map((u) => u.username).filter((u) => u.startsWith('u_3a'))
    expect(found.map((u) => u.Username).sort()).toEqual(expected.sort())
    const [first] = found
    expect(first).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' })
    expect(first?.Attributes?.map((a) => a.Name)).toEqual(['sub', 'email', 'email_verified'])
    // Each user its own sub.
    const subs = new Set(found.map((u) => u.Attributes?.find((a) => a.Name === 'sub')?.Value))
    expect(subs.size).toBe(found.length)
    client.destroy()
  })

  it('emulator.seedUsers takes status, enabled and createdAt; the SDK reads them back', async () => {
    const createdAt = '2025-03-01T12:00:00.000Z'
    const result = await emulator.seedUsers('us-east-1', [
      { username: 'u_seeded_a', attributes: { email: 'a@example.com' }, status: 'FORCE_CHANGE_PASSWORD', createdAt },
      { username: 'u_seeded_b', enabled: false, createdAt: Date.parse(createdAt) },
    ])
    expect(result).toMatchObject({ region: 'us-east-1', seeded: 2, total: 2 })
    const us = emulator.config.regions[1] as EmulatorRegion
    const client = sdk(us)
    const a = await client.send(new AdminGetUserCommand({ UserPoolId: us.userPoolId, Username: 'u_seeded_a' }))
    expect(a).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true })
    expect(a.UserCreateDate?.toISOString()).toBe(createdAt)
    expect(a.UserLastModifiedDate?.toISOString()).toBe(createdAt)
    const b = await client.send(new AdminGetUserCommand({ UserPoolId: us.userPoolId, Username: 'u_seeded_b' }))
    expect(b).toMatchObject({ UserStatus: 'CONFIRMED', Enabled: false })
    client.destroy()
  })

  it('refuses a bad request whole, naming the field, and writes nothing', async () => {
    const before = (await poolUsers(emulator, 'us-east-1')).size
    const good = { username: 'u_never_written' }
    const cases: [unknown, number, string, string][] = [
      [{ region: 'mars-1', users: [good] }, 400, 'unknown-region', 'region'],
      [{ region: 'us-east-1', users: [good, { username: 'has space' }] }, 400, 'invalid', 'users[1].username'],
      [{ region: 'us-east-1', users: [good, { username: 'a@b.example' }] }, 400, 'invalid', 'users[1].username'],
      [{ region: 'us-east-1', users: [good, { username: 'U_NEVER_WRITTEN' }] }, 409, 'duplicate', 'users[1].username'],
      [{ region: 'us-east-1', users: [good, { username: 'u_seeded_a' }] }, 409, 'duplicate', 'users[1].username'],
      [
        { region: 'us-east-1', users: [good, { username: 'u_x', attributes: { sub: 'x' } }] },
        400,
        'invalid',
        'users[1].attributes.sub',
      ],
      [
        { region: 'us-east-1', users: [good, { username: 'u_x', attributes: { shoe: '42' } }] },
        400,
        'invalid',
        'users[1].attributes.shoe',
      ],
      [
        { region: 'us-east-1', users: [good, { username: 'u_x', status: 'ARCHIVED' }] },
        400,
        'invalid',
        'users[1].status',
      ],
      [
        { region: 'us-east-1', users: [good, { username: 'u_x', createdAt: 'yesterday' }] },
        400,
        'invalid',
        'users[1].createdAt',
      ],
      [{ region: 'us-east-1', users: 'u_x' }, 400, 'invalid', 'users'],
    ]
    for (const [body, status, reason, field] of cases) {
      const res = await post(emulator, body)
      expect(res.status, field).toBe(status)
      expect(res.body).toMatchObject({ reason, field, error: expect.stringContaining(field) })
    }
    expect((await post(emulator, 'not json')).status).toBe(400)
    const err = await rejectionOf(emulator.seedUsers('us-east-1', [good, { username: 'u_seeded_b' }]))
    expect(err).toBeInstanceOf(SeedError)
    expect(err).toMatchObject({ reason: 'duplicate', field: 'users[1].username' })
    expect((await poolUsers(emulator, 'us-east-1')).size).toBe(before)
  })

  it('is behind the same guard as the other control endpoints', async () => {
    const res = await post(
      emulator,
      { region: 'us-east-1', users: [{ username: 'u_guarded' }] },
      {
        origin: 'https://evil.example',
      },
    )
    expect(res.status).toBe(403)
    expect((await poolUsers(emulator, 'us-east-1')).has('u_guarded')).toBe(false)
  })
})

describe('bulk seeding skips what a real create does', () => {
  it('no trigger, no lifecycle event, no replication to the peer pool', async () => {
    const emulator = await startReplicated(['eu-west-1', 'us-east-1'])
    try {
      await emulator.seedUsers('eu-west-1', [{ username: 'u_seed_only_here', attributes: { email: 's@example.com' } }])
      await drained(emulator)
      expect((await poolUsers(emulator, 'eu-west-1')).has('u_seed_only_here')).toBe(true)
      expect((await poolUsers(emulator, 'us-east-1')).has('u_seed_only_here')).toBe(false)
    } finally {
      await emulator.close()
    }
  })

  it('the two replicas of one pool get the same users at once', async () => {
    const emulator = await startEmulator({ topology: 'replicas', regions: ['eu-west-1', 'us-east-1'] })
    try {
      await emulator.seedUsers('eu-west-1', [{ username: 'u_replicated_seed' }])
      const [primary, secondary] = await Promise.all([
        poolUsers(emulator, 'eu-west-1'),
        poolUsers(emulator, 'us-east-1'),
      ])
      expect(secondary.get('u_replicated_seed')).toEqual(primary.get('u_replicated_seed'))
      expect(primary.has('u_replicated_seed')).toBe(true)
    } finally {
      await emulator.close()
    }
  })
})
