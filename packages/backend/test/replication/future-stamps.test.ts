// Issue 16, item 6: a change time later than the deciding clock plus STAMP_SKEW_MS wins nothing, whether it
// arrives in a message or sits on a copy (a client allowed to write custom:rl_*, a forged message, a bad clock).
import { describe, expect, it } from 'vitest'
import { applyChange } from '../../src/replication/apply-change.js'
import {
  CHANGED_AT_ATTRIBUTE,
  ENABLED_AT_ATTRIBUTE,
  STAMP_SKEW_MS,
  stampOf,
  versionStamp,
} from '../../src/replication/attributes.js'
import { decideDelete, decideState, decideUpsert, type UserSnapshot } from '../../src/replication/conflict.js'
import { planRepairs } from '../../src/replication/reconcile-plan.js'
import { createMemoryTombstoneStore } from '../../src/replication/tombstones.js'
import { fakePool } from '../helpers/fake-pool.js'

const NOW = 1_767_225_600_000
const DAY = 86_400_000
const username = 'u_0123456789abcdef0123456789abcdef'
const profile = { email: 'ada@example.com', email_verified: 'true' }

const copy = (attributes: Record<string, string>, enabled = true): UserSnapshot => ({
  username,
  attributes: { ...profile, ...attributes },
  enabled,
  status: 'CONFIRMED',
})

describe('change times from the future', () => {
  it('trusts a stamp up to STAMP_SKEW_MS ahead of the clock, and none beyond', () => {
    expect(STAMP_SKEW_MS).toBe(60_000)
    const at = (ms: number) => ({ [ENABLED_AT_ATTRIBUTE]: String(ms) })
    expect(stampOf(at(NOW + STAMP_SKEW_MS), ENABLED_AT_ATTRIBUTE, NOW)).toBe(NOW + STAMP_SKEW_MS)
    expect(stampOf(at(NOW + STAMP_SKEW_MS + 1), ENABLED_AT_ATTRIBUTE, NOW)).toBe(0)
  })

  it('an enable stamped a day ahead loses to an admin disable stamped now', () => {
    const disabledNow = copy({ [ENABLED_AT_ATTRIBUTE]: String(NOW) }, false)
    expect(decideState(disabledNow, { enabled: true, changedAt: NOW + DAY }, NOW)).toEqual({
      action: 'skip',
      reason: 'future',
    })
  })

  it('a copy stamped a day ahead (by its user) gives way to an admin disable stamped now', () => {
    const selfStamped = copy({ [ENABLED_AT_ATTRIBUTE]: String(NOW + DAY) }, true)
    expect(decideState(selfStamped, { enabled: false, changedAt: NOW }, NOW)).toEqual({
      action: 'set',
      enabled: false,
      stamp: true,
    })
  })

  it('attribute versions and deletes stamped ahead win nothing either', () => {
    const ahead = copy({ name: 'Mallory', [CHANGED_AT_ATTRIBUTE]: versionStamp(NOW + DAY, { name: 'Mallory' }) })
    expect(
      decideUpsert(ahead, { changedAt: NOW, attributes: { ...profile, name: 'Ada' } }, undefined, { now: NOW }),
    ).toMatchObject({ action: 'update', changes: { name: 'Ada' } })
    expect(decideUpsert(copy({}), { changedAt: NOW + DAY, attributes: profile }, undefined, { now: NOW })).toEqual({
      action: 'skip',
      reason: 'future',
    })
    expect(decideDelete(ahead, { changedAt: NOW }, NOW)).toEqual({ action: 'delete' })
    expect(decideDelete(copy({}), { changedAt: NOW + DAY }, NOW)).toEqual({ action: 'skip', reason: 'future' })
  })

  it('reconciliation settles on the admin disable, not on the copy stamped a day ahead', () => {
    const pools = new Map([
      ['eu-west-1', new Map([[username, copy({ [ENABLED_AT_ATTRIBUTE]: String(NOW + DAY) }, true)]])],
      ['us-east-1', new Map([[username, copy({ [ENABLED_AT_ATTRIBUTE]: String(NOW) }, false)]])],
    ])
    const { repairs } = planRepairs(pools, undefined, { missing: 'report', now: NOW })
    expect(repairs.filter((r) => r.reason === 'enabled')).toEqual([
      { region: 'eu-west-1', change: { kind: 'disable', username, changedAt: NOW }, reason: 'enabled' },
    ])
  })

  it('the worker leaves a disabled user disabled and writes no tombstone for changes a day ahead', async () => {
    const pool = fakePool('us-east-1')
    pool.seed(username, { ...profile, [ENABLED_AT_ATTRIBUTE]: String(NOW) }, { enabled: false })
    const tombstones = createMemoryTombstoneStore()
    const options = { timeoutMs: 1_000, tombstones, now: () => NOW }
    expect(await applyChange(pool.peer, { kind: 'enable', username, changedAt: NOW + DAY }, options)).toEqual({
      outcome: 'skipped',
      reason: 'future',
    })
    expect(await applyChange(pool.peer, { kind: 'delete', username, changedAt: NOW + DAY }, options)).toEqual({
      outcome: 'skipped',
      reason: 'future',
    })
    expect(pool.users.get(username)?.enabled).toBe(false)
    expect(pool.names()).not.toContain('AdminEnableUserCommand')
    expect(tombstones.size()).toBe(0)
  })
})
