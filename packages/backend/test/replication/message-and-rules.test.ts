import { describe, expect, it } from 'vitest'
import {
  backoffSeconds,
  CHANGED_AT_ATTRIBUTE,
  classifyFailure,
  createMessage,
  decideDelete,
  decideState,
  decideUpsert,
  ENABLED_AT_ATTRIBUTE,
  emfLine,
  PoisonMessageError,
  parseMessage,
  replicatedAttributes,
} from '../../src/index.js'

const base = {
  v: 1,
  kind: 'upsert',
  username: 'u_0123456789abcdef0123456789abcdef',
  sourceRegion: 'eu-west-1',
  targetRegion: 'us-east-1',
  changedAt: 1_700_000_000_000,
  id: 'm-1',
  attributes: { email: 'a@example.com', email_verified: 'true' },
}

describe('replication messages', () => {
  it('round-trips a valid message and gives each a fresh id', () => {
    const a = createMessage({
      kind: 'delete',
      username: base.username,
      sourceRegion: 'eu-west-1',
      targetRegion: 'us-east-1',
      changedAt: 5,
    })
    const b = createMessage({
      kind: 'delete',
      username: base.username,
      sourceRegion: 'eu-west-1',
      targetRegion: 'us-east-1',
      changedAt: 5,
    })
    expect(parseMessage(JSON.stringify(a))).toEqual(a)
    expect(a.id).not.toBe(b.id)
    expect(a.attributes).toBeUndefined()
    expect(parseMessage(JSON.stringify(base))).toMatchObject({ kind: 'upsert', attributes: base.attributes })
  })

  it.each([
    ['not JSON', '{nope', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['version 2', JSON.stringify({ ...base, v: 2 }), /unknown message version 2/],
    ['an unknown kind', JSON.stringify({ ...base, kind: 'merge' }), /unknown kind/],
    ['an email as username', JSON.stringify({ ...base, username: 'ada@example.com' }), /invalid username/],
    ['a username with spaces', JSON.stringify({ ...base, username: 'a b' }), /invalid username/],
    ['a float time', JSON.stringify({ ...base, changedAt: 1.5 }), /changedAt/],
    ['sub in attributes', JSON.stringify({ ...base, attributes: { sub: 'x' } }), /sub cannot be replicated/],
    ['a number attribute', JSON.stringify({ ...base, attributes: { email: 1 } }), /not a string/],
    ['attributes on a delete', JSON.stringify({ ...base, kind: 'delete' }), /carries no attributes/],
  ])('rejects %s as poison', (_, body, message) => {
    expect(() => parseMessage(body)).toThrow(PoisonMessageError)
    expect(() => parseMessage(body)).toThrow(message)
  })

  it('replicates attributes without sub, cognito extras or bookkeeping, and emails only once verified', () => {
    expect(
      replicatedAttributes({
        sub: 's',
        email: 'a@b.co',
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
        'custom:plan': 'pro',
        [CHANGED_AT_ATTRIBUTE]: '5',
        [ENABLED_AT_ATTRIBUTE]: '6',
      }),
    ).toEqual({ email: 'a@b.co', email_verified: 'true', 'custom:plan': 'pro' })
    expect(replicatedAttributes({ email: 'new@b.co', email_verified: 'false', name: 'Ada' })).toEqual({ name: 'Ada' })
  })
})

describe('conflict rules', () => {
  const user = (attributes: Record<string, string>, enabled = true) => ({
    username: 'u_x',
    attributes,
    enabled,
    status: 'CONFIRMED',
  })

  it('creates a missing user with its change time stamped, unless a tombstone is as new or newer', () => {
    expect(decideUpsert(undefined, { changedAt: 10, attributes: { name: 'A' } })).toEqual({
      action: 'create',
      attributes: { name: 'A', [CHANGED_AT_ATTRIBUTE]: '10' },
    })
    expect(decideUpsert(undefined, { changedAt: 10, attributes: {} }, 10)).toEqual({
      action: 'skip',
      reason: 'deleted-later',
    })
    expect(decideUpsert(undefined, { changedAt: 11, attributes: {} }, 10).action).toBe('create')
  })

  it('last writer wins on changedAt; ties go to the greater attribute set everywhere', () => {
    const stored = user({ name: 'B', [CHANGED_AT_ATTRIBUTE]: '20' })
    expect(decideUpsert(stored, { changedAt: 19, attributes: { name: 'A' } })).toEqual({
      action: 'skip',
      reason: 'stale',
    })
    expect(decideUpsert(stored, { changedAt: 21, attributes: { name: 'A' } })).toEqual({
      action: 'update',
      changes: { name: 'A', [CHANGED_AT_ATTRIBUTE]: '21' },
      removals: [],
      confirm: false,
    })
    // Tie: 'B' > 'A' as text, so B stays in both pools whichever message arrives where.
    expect(decideUpsert(stored, { changedAt: 20, attributes: { name: 'A' } })).toEqual({
      action: 'skip',
      reason: 'tie-lost',
    })
    expect(
      decideUpsert(user({ name: 'A', [CHANGED_AT_ATTRIBUTE]: '20' }), { changedAt: 20, attributes: { name: 'B' } })
        .action,
    ).toBe('update')
    expect(decideUpsert(stored, { changedAt: 20, attributes: { name: 'B' } })).toEqual({
      action: 'skip',
      reason: 'unchanged',
    })
  })

  it('finishes a half-created copy (FORCE_CHANGE_PASSWORD)', () => {
    const half = { ...user({ name: 'A', [CHANGED_AT_ATTRIBUTE]: '5' }), status: 'FORCE_CHANGE_PASSWORD' }
    expect(decideUpsert(half, { changedAt: 5, attributes: { name: 'A' } })).toEqual({ action: 'confirm' })
    expect(decideUpsert(half, { changedAt: 4, attributes: { name: 'Z' } })).toEqual({ action: 'confirm' })
  })

  it('enabled state: newest wins, disabled wins ties, a missing user is reported', () => {
    const disabledAt20 = user({ [ENABLED_AT_ATTRIBUTE]: '20' }, false)
    expect(decideState(disabledAt20, { enabled: true, changedAt: 19 })).toEqual({ action: 'skip', reason: 'stale' })
    expect(decideState(disabledAt20, { enabled: true, changedAt: 20 })).toEqual({ action: 'skip', reason: 'unchanged' })
    expect(decideState(user({ [ENABLED_AT_ATTRIBUTE]: '20' }, true), { enabled: false, changedAt: 20 })).toEqual({
      action: 'set',
      enabled: false,
      stamp: false,
    })
    expect(decideState(disabledAt20, { enabled: true, changedAt: 21 })).toEqual({
      action: 'set',
      enabled: true,
      stamp: true,
    })
    expect(decideState(undefined, { enabled: false, changedAt: 1 })).toEqual({ action: 'skip', reason: 'missing' })
  })

  it('delete wins over the same or older change, not over a newer attribute change', () => {
    expect(decideDelete(user({ [CHANGED_AT_ATTRIBUTE]: '10' }), { changedAt: 10 })).toEqual({ action: 'delete' })
    expect(decideDelete(user({ [CHANGED_AT_ATTRIBUTE]: '11' }), { changedAt: 10 })).toEqual({
      action: 'skip',
      reason: 'changed-later',
    })
    // A disable after the delete does not keep the user.
    expect(
      decideDelete(user({ [CHANGED_AT_ATTRIBUTE]: '5', [ENABLED_AT_ATTRIBUTE]: '50' }), { changedAt: 10 }),
    ).toEqual({ action: 'delete' })
    expect(decideDelete(undefined, { changedAt: 10 })).toEqual({ action: 'skip', reason: 'gone' })
  })
})

describe('failures, back-off and metrics', () => {
  const named = (name: string, status?: number) =>
    Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } })
  it('classifies throttling, transient and poison errors', () => {
    expect(classifyFailure(named('TooManyRequestsException'))).toBe('throttled')
    expect(classifyFailure(named('ThrottlingException'))).toBe('throttled')
    expect(classifyFailure(named('Whatever', 429))).toBe('throttled')
    expect(classifyFailure(named('InternalErrorException', 500))).toBe('transient')
    expect(classifyFailure(named('TimeoutError'))).toBe('transient')
    expect(classifyFailure(new PoisonMessageError('bad'))).toBe('poison')
  })

  it('backs off exponentially with the receive count, capped, jitter at most 25 %', () => {
    const policy = { baseSeconds: 2, maxSeconds: 60 }
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, policy, () => 0))).toEqual([2, 4, 8, 16])
    expect(backoffSeconds(3, policy, () => 0.999)).toBe(10)
    expect(backoffSeconds(20, policy, () => 0.5)).toBe(60)
  })

  it('writes CloudWatch embedded metric format lines with and without dimensions', () => {
    const line = JSON.parse(
      emfLine({
        dimensions: { TargetRegion: 'us-east-1' },
        metrics: [{ name: 'ReplicationLagMs', value: 42, unit: 'Milliseconds' }],
        now: 1000,
      }),
    )
    expect(line).toEqual({
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [
          {
            Namespace: 'Regionless',
            Dimensions: [[], ['TargetRegion']],
            Metrics: [{ Name: 'ReplicationLagMs', Unit: 'Milliseconds' }],
          },
        ],
      },
      TargetRegion: 'us-east-1',
      ReplicationLagMs: 42,
    })
  })
})
