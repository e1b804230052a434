import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  DescribeUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { mockClient } from 'aws-sdk-client-mock'

export interface FakeUser {
  username: string
  attributes: Record<string, string>
  enabled: boolean
  status: string
  sub: string
  modified: number
}

const fail = (name: string, message = name) =>
  new CognitoIdentityProviderServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: 400 } })

let subs = 0

/**
 * One pool behind an aws-sdk-client-mock'ed client: an in-memory user
 * directory answering the admin calls replication makes, with Cognito's
 * error names. `failNext` injects an error for the next calls.
 * test/contracts/fake-pool.contract.test.ts holds its answers to the emulator's.
 */
export function fakePool(region: string, userPoolId = `${region}_test`) {
  const client = new CognitoIdentityProviderClient({
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  const mock = mockClient(client)
  const users = new Map<string, FakeUser>()
  const calls: { command: string; input: Record<string, unknown> }[] = []
  let failures: Error[] = []
  let hang = false
  let clock = 1_000

  const find = (username: unknown) => {
    const user = users.get(String(username).toLowerCase())
    if (!user) throw fail('UserNotFoundException', 'User does not exist.')
    return user
  }
  const attrs = (list: unknown) =>
    Object.fromEntries(((list as { Name: string; Value: string }[]) ?? []).map((a) => [a.Name, a.Value]))
  const attributeList = (u: FakeUser) =>
    [['sub', u.sub], ...Object.entries(u.attributes)].map(([Name, Value]) => ({ Name, Value }))
  const view = (u: FakeUser) => ({
    Username: u.username,
    Enabled: u.enabled,
    UserStatus: u.status,
    UserLastModifiedDate: new Date(u.modified),
    UserCreateDate: new Date(u.modified),
  })

  function on(command: { name: string }, fn: (input: Record<string, unknown>) => unknown) {
    // biome-ignore lint/suspicious/noExplicitAny: each command class is a distinct mock key
    mock.on(command as any).callsFake(async (input: Record<string, unknown>) => {
      calls.push({ command: command.name.replace(/Command$/, ''), input })
      if (hang) return new Promise(() => {})
      const next = failures.shift()
      if (next) throw next
      if (input.UserPoolId !== userPoolId) {
        throw fail('ResourceNotFoundException', `User pool ${String(input.UserPoolId)} does not exist.`)
      }
      clock++
      return fn(input)
    })
  }

  on(AdminCreateUserCommand, (input) => {
    const key = String(input.Username).toLowerCase()
    if (users.has(key)) throw fail('UsernameExistsException', 'User account already exists')
    const user: FakeUser = {
      username: String(input.Username),
      attributes: attrs(input.UserAttributes),
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
      sub: `sub-${++subs}`,
      modified: clock,
    }
    users.set(key, user)
    return { User: { ...view(user), Attributes: attributeList(user) } }
  })
  on(AdminGetUserCommand, (input) => {
    const u = find(input.Username)
    return { ...view(u), UserAttributes: attributeList(u) }
  })
  on(AdminUpdateUserAttributesCommand, (input) => {
    const u = find(input.Username)
    Object.assign(u.attributes, attrs(input.UserAttributes))
    u.modified = clock
    return {}
  })
  on(AdminDeleteUserAttributesCommand, (input) => {
    const u = find(input.Username)
    for (const name of input.UserAttributeNames as string[]) delete u.attributes[name]
    return {}
  })
  on(AdminSetUserPasswordCommand, (input) => {
    const u = find(input.Username)
    u.status = input.Permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD'
    return {}
  })
  on(AdminDisableUserCommand, (input) => {
    find(input.Username).enabled = false
    return {}
  })
  on(AdminEnableUserCommand, (input) => {
    find(input.Username).enabled = true
    return {}
  })
  on(AdminDeleteUserCommand, (input) => {
    find(input.Username)
    users.delete(String(input.Username).toLowerCase())
    return {}
  })
  // What reconcile reads to size its shards.
  on(DescribeUserPoolCommand, () => ({ UserPool: { Id: userPoolId, EstimatedNumberOfUsers: users.size } }))
  on(ListUsersCommand, (input) => {
    const all = [...users.values()].sort((a, b) => a.username.localeCompare(b.username))
    // Only the filters replication sends are modelled (a sub, a username prefix): any other would silently list everyone.
    const bySub = /^sub = "(.+)"$/.exec(String(input.Filter ?? ''))
    const byPrefix = /^username \^= "(.+)"$/.exec(String(input.Filter ?? ''))
    if (input.Filter && !bySub && !byPrefix)
      throw new Error(`fake pool: ListUsers filter not modelled: ${String(input.Filter)}`)
    const matching = bySub
      ? all.filter((u) => u.sub === bySub[1])
      : byPrefix
        ? all.filter((u) => u.username.startsWith(byPrefix[1] as string))
        : all
    const offset = Number(input.PaginationToken ?? 0)
    const limit = Number(input.Limit ?? 60)
    const page = matching.slice(offset, offset + limit)
    return {
      Users: page.map((u) => ({
        ...view(u),
        Attributes: attributeList(u),
      })),
      ...(offset + limit < matching.length && { PaginationToken: String(offset + limit) }),
    }
  })

  return {
    region,
    userPoolId,
    client,
    mock,
    users,
    calls,
    peer: { region, userPoolId, client },
    /** Adds a user directly, as if it signed up here. */
    seed(username: string, attributes: Record<string, string>, extra: Partial<FakeUser> = {}) {
      users.set(username.toLowerCase(), {
        username,
        attributes: { ...attributes },
        enabled: true,
        status: 'CONFIRMED',
        sub: `sub-${++subs}`,
        modified: clock,
        ...extra,
      })
    },
    failNext(...errors: Error[]) {
      failures = [...failures, ...errors]
    },
    setHang(value: boolean) {
      hang = value
    },
    error: fail,
    names: () => calls.map((c) => c.command),
  }
}

export type FakePool = ReturnType<typeof fakePool>

export const throttled = () => fail('TooManyRequestsException', 'Rate exceeded')
