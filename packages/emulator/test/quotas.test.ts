import { AdminCreateUserCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { ConfigError, resolveConfig, startEmulator } from '../src/index.js'
import { createQuotaCheck, QUOTA_CATEGORIES } from '../src/store/quotas.js'
import { sdk } from './helpers/protocol.js'
import { failure } from './helpers/sdk-errors.js'

describe('Cognito request quotas', () => {
  it('one row per category: its operations, config key and AWS default', () => {
    expect(QUOTA_CATEGORIES.map((c) => [c.category, c.configKey, c.awsDefaultRps, [...c.operations]])).toEqual([
      ['UserCreation', 'userCreationRps', 50, ['SignUp', 'AdminCreateUser']],
      ['UserList', 'userListRps', 30, ['ListUsers']],
    ])
  })

  it('each category has a bucket of its own; operations of no limited category pass', () => {
    let t = 0
    const allowed = createQuotaCheck({ userCreationRps: 2, userListRps: 3 }, () => t)
    if (!allowed) throw new Error('expected a quota check')
    const granted = (operation: string) => Array.from({ length: 10 }, () => allowed(operation)).filter(Boolean).length
    expect(granted('ListUsers')).toBe(3)
    // SignUp and AdminCreateUser share one bucket, untouched by ListUsers.
    expect(granted('SignUp') + granted('AdminCreateUser')).toBe(2)
    expect(granted('AdminGetUser')).toBe(10)
    t += 1000
    expect(granted('ListUsers')).toBe(3)
    expect(createQuotaCheck({})).toBeUndefined()
  })

  it('a rate under one per second still lets a call through now and then', () => {
    let t = 0
    const allowed = createQuotaCheck({ userListRps: 0.5 }, () => t)
    expect([allowed?.('ListUsers'), allowed?.('ListUsers')]).toEqual([true, false])
    t += 2000
    expect(allowed?.('ListUsers')).toBe(true)
  })

  it('are checked at start, naming the field', () => {
    expect(resolveConfig({ quotas: { userListRps: 30 } }).quotas).toEqual({ userListRps: 30 })
    expect(resolveConfig({}).quotas).toEqual({})
    for (const [quotas, setting] of [
      [{ userListRps: 0 }, 'quotas.userListRps'],
      [{ userListRps: '30' }, 'quotas.userListRps'],
      [{ userCreationRps: -1 }, 'quotas.userCreationRps'],
      [{ userListRPS: 30 }, 'quotas.userListRPS'],
      [30, 'quotas'],
    ] as const) {
      const err = rejectionOf(() => resolveConfig({ quotas: quotas as never }))
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as ConfigError).setting).toBe(setting)
      expect((err as Error).message).toContain(setting)
    }
  })

  it('ListUsers over quotas.userListRps answers TooManyRequestsException, per region', async () => {
    // 0.1 RPS: one call, then nothing for ten seconds, far more than the test needs.
    const emulator = await startEmulator({ config: { quotas: { userListRps: 0.1 } } })
    try {
      const [eu, us] = emulator.config.regions as [
        (typeof emulator.config.regions)[0],
        (typeof emulator.config.regions)[0],
      ]
      const client = sdk(eu)
      const list = () => client.send(new ListUsersCommand({ UserPoolId: eu.userPoolId }))
      expect((await list()).Users).toEqual([])
      expect(await failure(list())).toEqual({ name: 'TooManyRequestsException', message: 'Rate exceeded', status: 400 })
      // Another category is not spent by ListUsers, and another region has its own bucket.
      await client.send(
        new AdminCreateUserCommand({ UserPoolId: eu.userPoolId, Username: 'u_quota', MessageAction: 'SUPPRESS' }),
      )
      const other = sdk(us)
      expect((await other.send(new ListUsersCommand({ UserPoolId: us.userPoolId }))).Users).toEqual([])
      client.destroy()
      other.destroy()
    } finally {
      await emulator.close()
    }
  })
})
