import { describe, expect, it } from 'vitest'
import {
  CHANGED_AT_ATTRIBUTE,
  canonicalAttributes,
  changeAttributes,
  ENABLED_AT_ATTRIBUTE,
  hasUnstampedEdit,
  replicatedAttributes,
  versionStamp,
} from '../../src/replication/attributes.js'
import {
  attributeVersion,
  compareAttributeVersions,
  decideDelete,
  decideState,
  decideUpsert,
} from '../../src/replication/conflict.js'
import { backoffSeconds, classifyFailure } from '../../src/replication/failures.js'
import { createMessage, PoisonMessageError, parseMessage } from '../../src/replication/message.js'
import { emfLine } from '../../src/replication/metrics.js'

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

  it('carries an unverified email in a change (for a copy to be created), marked unverified, outside the digest', () => {
    const pending = { sub: 's', email: 'new@b.co', email_verified: 'false', name: 'Ada' }
    expect(changeAttributes(pending)).toEqual({ email: 'new@b.co', email_verified: 'false', name: 'Ada' })
    expect(changeAttributes({ email: 'new@b.co', name: 'Ada' })).toMatchObject({ email_verified: 'false' })
    expect(canonicalAttributes(changeAttributes(pending))).toBe(canonicalAttributes(pending))
    const verified = { email: 'a@b.co', email_verified: 'true' }
    expect(changeAttributes(verified)).toEqual(replicatedAttributes(verified))
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
      attributes: { name: 'A', [CHANGED_AT_ATTRIBUTE]: versionStamp(10, { name: 'A' }) },
    })
    expect(versionStamp(10, { name: 'A' })).toMatch(/^10:[\w-]{16}$/)
    expect(decideUpsert(undefined, { changedAt: 10, attributes: {} }, 10)).toEqual({
      action: 'skip',
      reason: 'deleted-later',
    })
    expect(decideUpsert(undefined, { changedAt: 11, attributes: {} }, 10).action).toBe('create')
  })

  // A copy as the rules leave it: its attributes and the stamp of exactly those attributes.
  const stampedAt = (at: number, attributes: Record<string, string>) => ({
    ...attributes,
    [CHANGED_AT_ATTRIBUTE]: versionStamp(at, attributes),
  })

  it('last writer wins on changedAt; ties go to the greater attribute set everywhere', () => {
    const stored = user(stampedAt(20, { name: 'B' }))
    expect(decideUpsert(stored, { changedAt: 19, attributes: { name: 'A' } })).toEqual({
      action: 'skip',
      reason: 'stale',
    })
    expect(decideUpsert(stored, { changedAt: 21, attributes: { name: 'A' } })).toEqual({
      action: 'update',
      changes: { name: 'A', [CHANGED_AT_ATTRIBUTE]: versionStamp(21, { name: 'A' }) },
      removals: [],
      confirm: false,
    })
    // Tie: 'B' > 'A' as text, so B stays in both pools whichever message arrives where.
    expect(decideUpsert(stored, { changedAt: 20, attributes: { name: 'A' } })).toEqual({
      action: 'skip',
      reason: 'tie-lost',
    })
    expect(decideUpsert(user(stampedAt(20, { name: 'A' })), { changedAt: 20, attributes: { name: 'B' } }).action).toBe(
      'update',
    )
    expect(decideUpsert(stored, { changedAt: 20, attributes: { name: 'B' } })).toEqual({
      action: 'skip',
      reason: 'unchanged',
    })
  })

  it('stamps the digest of what the copy will hold, kept attributes included', () => {
    // The source's email is unverified (left out of the change): the peer keeps its verified one.
    const stored = user(stampedAt(5, { email: 'old@b.co', email_verified: 'true', name: 'x' }))
    const decision = decideUpsert(stored, { changedAt: 9, attributes: { name: 'y' } })
    expect(decision).toEqual({
      action: 'update',
      changes: {
        name: 'y',
        [CHANGED_AT_ATTRIBUTE]: versionStamp(9, { email: 'old@b.co', email_verified: 'true', name: 'y' }),
      },
      removals: [],
      confirm: false,
    })
    const after = { ...stored.attributes, ...(decision as { changes: Record<string, string> }).changes }
    expect(hasUnstampedEdit(after)).toBe(false)
  })

  it('an edit made after the stamp beats a retry of the version it replaced (the copy reads as edited)', () => {
    // Created from { name: 'A' } at 20, then edited here to 'Edited' before that edit's lifecycle event ran.
    const edited = user({ name: 'Edited', [CHANGED_AT_ATTRIBUTE]: versionStamp(20, { name: 'A' }) })
    expect(hasUnstampedEdit(edited.attributes)).toBe(true)
    expect(hasUnstampedEdit(stampedAt(20, { name: 'A' }))).toBe(false)
    // 'Z' > 'Edited' as text: the text tie would pick the retry, the digest says the copy is newer.
    expect(decideUpsert(edited, { changedAt: 20, attributes: { name: 'Z' } })).toEqual({
      action: 'skip',
      reason: 'edited-here',
    })
    expect(decideUpsert(edited, { changedAt: 20, attributes: { name: 'A' } })).toEqual({
      action: 'skip',
      reason: 'edited-here',
    })
    // The half-created copy is still finished, its edit kept.
    const half = { ...edited, status: 'FORCE_CHANGE_PASSWORD' }
    expect(decideUpsert(half, { changedAt: 20, attributes: { name: 'Z' } })).toEqual({ action: 'confirm' })
    // A version stamped later than the copy still wins (the edit's own event will be stamped later again).
    expect(decideUpsert(edited, { changedAt: 21, attributes: { name: 'Z' } }).action).toBe('update')
  })

  it("a region's message to itself never overwrites an edit made to its own copy since", () => {
    const editedUnstamped = user({ name: 'Edited' })
    const own = { ownCopy: true }
    expect(decideUpsert(editedUnstamped, { changedAt: 20, attributes: { name: 'A' } }, undefined, own)).toEqual({
      action: 'skip',
      reason: 'edited-here',
    })
    // Without an edit it stamps the copy; from a peer, the same message is an ordinary newer version.
    expect(decideUpsert(user({ name: 'A' }), { changedAt: 20, attributes: { name: 'A' } }, undefined, own)).toEqual({
      action: 'update',
      changes: { [CHANGED_AT_ATTRIBUTE]: versionStamp(20, { name: 'A' }) },
      removals: [],
      confirm: false,
    })
    expect(decideUpsert(editedUnstamped, { changedAt: 20, attributes: { name: 'A' } }).action).toBe('update')
  })

  it('gives a bare-time stamp (written before digests) its digest when the content matches', () => {
    expect(
      decideUpsert(user({ name: 'A', [CHANGED_AT_ATTRIBUTE]: '20' }), { changedAt: 20, attributes: { name: 'A' } }),
    ).toEqual({
      action: 'update',
      changes: { [CHANGED_AT_ATTRIBUTE]: versionStamp(20, { name: 'A' }) },
      removals: [],
      confirm: false,
    })
    expect(hasUnstampedEdit({ name: 'A', [CHANGED_AT_ATTRIBUTE]: '20' })).toBe(false)
  })

  it('reconcile orders copies the same way: an edited copy beats its stamp time', () => {
    const clean = user(stampedAt(20, { name: 'Z' }))
    const edited = user({ name: 'A', [CHANGED_AT_ATTRIBUTE]: versionStamp(20, { name: 'Z' }) })
    expect(attributeVersion(edited)).toBe(21)
    expect(attributeVersion(clean)).toBe(20)
    expect(compareAttributeVersions(edited, clean)).toBeGreaterThan(0)
    expect(attributeVersion(user({ name: 'A' }))).toBe(1)
    expect(attributeVersion({ ...user({ name: 'A' }), lastModified: 1234.5 })).toBe(1234)
  })

  it('finishes a half-created copy (FORCE_CHANGE_PASSWORD)', () => {
    const half = { ...user(stampedAt(5, { name: 'A' })), status: 'FORCE_CHANGE_PASSWORD' }
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
