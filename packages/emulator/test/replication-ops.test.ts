import { AdminCreateUserCommand, AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The operators' CLI in-process (the `regionless-backend` bin); not part of the package's exports.
import { CHANGED_AT_ATTRIBUTE, versionStamp } from '../../backend/src/replication/attributes.js'
import { runCli } from '../../backend/src/replication/cli.js'
import { emptyTotals } from '../../backend/src/replication/sharded-run.js'
import type { EmulatorRegion, RunningEmulator } from '../src/index.js'
import { cloudTrailEvent } from '../src/replication/cloudtrail.js'
import { createTokenBucket } from '../src/store/quotas.js'
import { adminClient, drained, injectPoison, poolUsers, signUpOnce, startReplicated } from './helpers/replication.js'

describe('CloudTrail-shaped lifecycle events', () => {
  it('hide values as CloudTrail does, name admin callers and carry the sub of self-service calls', () => {
    const at = Date.parse('2026-11-24T03:00:00.456Z')
    const admin = cloudTrailEvent('eu-west-1', {
      operation: 'AdminUpdateUserAttributes',
      body: { UserPoolId: 'eu-west-1_x', Username: 'u_1', UserAttributes: [{ Name: 'email', Value: 'a@b.co' }] },
      userAgent: 'aws-sdk-js/3.1164.0',
      accessKeyId: 'AKIDOPS',
      at,
    })
    expect(admin).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.cognito-idp',
      detail: {
        eventSource: 'cognito-idp.amazonaws.com',
        eventName: 'AdminUpdateUserAttributes',
        eventTime: '2026-11-24T03:00:00Z',
        awsRegion: 'eu-west-1',
        userAgent: 'aws-sdk-js/3.1164.0',
        userIdentity: { type: 'IAMUser', accessKeyId: 'AKIDOPS' },
        requestParameters: {
          userPoolId: 'eu-west-1_x',
          username: 'u_1',
          userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        },
      },
    })
    const token = `e30.${Buffer.from(JSON.stringify({ sub: 'sub-123' })).toString('base64url')}.sig`
    const self = cloudTrailEvent('eu-west-1', {
      operation: 'DeleteUser',
      body: { AccessToken: token },
      userAgent: 'x',
      at,
    })
    expect(self.detail.requestParameters).toEqual({ accessToken: 'HIDDEN_DUE_TO_SECURITY_REASONS' })
    expect(self.detail.additionalEventData).toEqual({ sub: 'sub-123' })
    expect(self.detail.userIdentity.type).toBe('Unknown')
  })

  it('a token bucket gives the rate after its one-second burst', () => {
    let t = 0
    const bucket = createTokenBucket(50, () => t)
    let granted = 0
    for (let i = 0; i < 200; i++) if (bucket.take()) granted++
    expect(granted).toBe(50)
    t += 100
    let more = 0
    for (let i = 0; i < 200; i++) if (bucket.take()) more++
    expect(more).toBe(5)
  })
})

describe('replication operations on the emulator', () => {
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  let us: EmulatorRegion
  const io = () => {
    const out: string[] = []
    return { out, io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {}, fetch } }
  }

  beforeAll(async () => {
    emulator = await startReplicated(['eu-west-1', 'us-east-1'])
    ;[eu, us] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
    for (let i = 0; i < 5; i++) expect(await signUpOnce(eu, `ops-${i}@example.com`)).toBe('ok')
    await drained(emulator)
  })
  afterAll(() => emulator.close())

  it('the same user edited in two regions at once ends identical everywhere (one version wins whole)', async () => {
    const username = usernameForEmail('ops-0@example.com')
    const edit = (region: EmulatorRegion, plan: string) =>
      adminClient(region).send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: region.userPoolId,
          Username: username,
          UserAttributes: [
            { Name: 'custom:plan', Value: plan },
            { Name: `custom:${plan}`, Value: 'x' },
          ],
        }),
      )
    await Promise.all([edit(eu, 'alpha'), edit(us, 'beta')])
    await drained(emulator)
    const [a, b] = await Promise.all([poolUsers(emulator, eu.region), poolUsers(emulator, us.region)])
    expect(a.get(username)).toEqual(b.get(username))
    const winner = a.get(username)?.attributes['custom:plan']
    expect(['alpha', 'beta']).toContain(winner)
    // Whole-version: the loser's other attribute is gone too.
    expect(a.get(username)?.attributes[`custom:${winner === 'alpha' ? 'beta' : 'alpha'}`]).toBeUndefined()
  })

  it('reconcile over the emulator finds nothing, then repairs a user created behind replication’s back', async () => {
    const clean = io()
    expect(await runCli(['reconcile', '--emulator', emulator.controlUrl], clean.io)).toBe(0)
    expect(clean.out.join('\n')).toContain('nothing to do')

    const stray = usernameForEmail('stray@example.com')
    await adminClient(us).send(
      new AdminCreateUserCommand({
        UserPoolId: us.userPoolId,
        Username: stray,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'stray@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    )
    // No tombstone store here: a user missing from a pool is reported, never re-created by guess.
    const report = io()
    expect(await runCli(['reconcile', '--emulator', emulator.controlUrl], report.io)).toBe(0)
    expect(report.out.join('\n')).toMatch(new RegExp(`unresolved ${stray}: in us-east-1, not in eu-west-1`))
    expect((await poolUsers(emulator, eu.region)).has(stray)).toBe(false)

    const dry = io()
    await runCli(['reconcile', '--emulator', emulator.controlUrl, '--missing', 'create', '--dry-run'], dry.io)
    expect(dry.out.join('\n')).toContain(`would upsert ${stray} in eu-west-1 (missing)`)
    expect((await poolUsers(emulator, eu.region)).has(stray)).toBe(false)

    const fix = io()
    expect(await runCli(['reconcile', '--emulator', emulator.controlUrl, '--missing', 'create'], fix.io)).toBe(0)
    const [a, b] = await Promise.all([poolUsers(emulator, eu.region), poolUsers(emulator, us.region)])
    expect(a.get(stray)).toEqual(b.get(stray))
    const again = io()
    await runCli(['reconcile', '--emulator', emulator.controlUrl], again.io)
    expect(again.out.join('\n')).toContain('nothing to do')
  })

  it('reconcile reads shard by shard with a progress bar, and resumes from its checkpoint', async () => {
    const { mkdtemp } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    // 600 users as replication leaves them (stamped) in both pools, then 30 with a newer version in us-east-1.
    const stamped = (at: number, attributes: Record<string, string>) => ({
      ...attributes,
      [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
    })
    const users = Array.from({ length: 600 }, (_, i) => ({
      username: usernameForEmail(`bulk-${i}@example.com`),
      attributes: { email: `bulk-${i}@example.com`, email_verified: 'true', 'custom:plan': 'free' },
    }))
    await emulator.seedUsers(
      eu.region,
      users.map((u) => ({ ...u, attributes: stamped(1_000, u.attributes) })),
    )
    await emulator.seedUsers(
      us.region,
      users.map((u, i) => ({
        ...u,
        attributes:
          i % 20 === 0 ? stamped(2_000, { ...u.attributes, 'custom:plan': 'pro' }) : stamped(1_000, u.attributes),
      })),
    )
    const checkpoint = join(await mkdtemp(join(tmpdir(), 'rl-cli-')), 'reconcile.checkpoint')
    const args = ['reconcile', '--emulator', emulator.controlUrl, '--shard-depth', '1', '--list-rps', '500']
    const first = io()
    expect(await runCli([...args, '--checkpoint', checkpoint], first.io)).toBe(0)
    const lines = first.out.join('\n')
    expect(lines).toMatch(/shards 16\/16 · [\d,]+ users read · 30 repairs · [\d,]+ users\/s · done in \d+s/)
    expect(lines).toContain('attributes→eu-west-1: 30')
    const [a, b] = await Promise.all([poolUsers(emulator, eu.region), poolUsers(emulator, us.region)])
    for (const u of users) expect(a.get(u.username)?.attributes).toEqual(b.get(u.username)?.attributes)

    // A run that finished every shard removes its checkpoint: the next one reads everything and finds nothing.
    const { access, writeFile } = await import('node:fs/promises')
    await expect(access(checkpoint)).rejects.toThrow()
    const again = io()
    expect(await runCli([...args, '--checkpoint', checkpoint], again.io)).toBe(0)
    expect(again.out.join('\n')).toContain('nothing to do')
    // An interrupted run's checkpoint: its finished shards are skipped, the rest is read.
    const key = `reconcile eu-west-1=${eu.userPoolId} us-east-1=${us.userPoolId} depth=1 other=false dry-run=false missing=report tombstones=none`
    // A finished shard as the checkpoint records it: nothing found, nothing done.
    const done = (shard: string) => JSON.stringify({ ...emptyTotals(), shard })
    await writeFile(checkpoint, `${JSON.stringify({ runKey: key })}\n${['u_0', 'u_1', 'u_2'].map(done).join('\n')}\n`)
    const resumed = io()
    expect(await runCli([...args, '--checkpoint', checkpoint], resumed.io)).toBe(0)
    expect(resumed.out.join('\n')).toContain('3 resumed from the checkpoint')
    // …and a checkpoint is refused by any other run: here, a dry run.
    await writeFile(checkpoint, `${JSON.stringify({ runKey: key })}\n${done('u_0')}\n`)
    const other = io()
    expect(await runCli([...args, '--dry-run', '--checkpoint', checkpoint], other.io)).toBe(1)
    expect(other.out.join('\n')).toContain('is the checkpoint of another run')
  })

  it('redrive moves DLQ messages back; poison can be left where it is', async () => {
    await injectPoison(emulator, eu.region, '{"not":"a message"}')
    const depths = await drained(emulator)
    expect(depths.find((d) => d.region === eu.region)?.dlq.total).toBe(1)
    const dry = io()
    const code = await runCli(
      ['redrive', '--emulator', emulator.controlUrl, '--region', eu.region, '--dry-run'],
      dry.io,
    )
    expect(code).toBe(0)
    expect(dry.out.at(-1)).toBe('found 1, moved 0, poison 1, left 1 (dry run: nothing moved)')
    const skip = io()
    await runCli(['redrive', '--emulator', emulator.controlUrl, '--region', eu.region, '--skip-poison'], skip.io)
    expect(skip.out.at(-1)).toBe('found 1, moved 0, poison 1, left 1')
    const move = io()
    await runCli(['redrive', '--emulator', emulator.controlUrl, '--region', eu.region], move.io)
    expect(move.out.at(-1)).toBe('found 1, moved 1, poison 1, left 0')
    // Still poison: it fails its receives again and returns to the DLQ, never dropped.
    const after = await drained(emulator)
    expect(after.find((d) => d.region === eu.region)?.dlq.total).toBe(1)
  })
})
