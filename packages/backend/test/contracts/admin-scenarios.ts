// The answers the replication tests' fake pool (helpers/fake-pool.ts) is held to. The fake
// answers, through aws-sdk-client-mock, the admin calls replication makes: AdminCreateUser,
// AdminGetUser, AdminUpdateUserAttributes, AdminDisableUser / AdminEnableUser,
// AdminDeleteUser, and ListUsers (pages of `Limit`, the filter `sub = "…"`). Each scenario
// sends the same commands through an SDK client to a target (the fake, or the emulator)
// and names the outcome of the last one, and where a value matters, what `observe` sees in it.
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import type { Outcome } from '../../../../test/contracts/outcome.js'

export interface AdminTarget {
  client: CognitoIdentityProviderClient
  userPoolId: string
}

// biome-ignore lint/suspicious/noExplicitAny: command outputs, read loosely by the scenarios
export type Output = Record<string, any>

export interface AdminScenario {
  name: string
  /** The commands; answers the last one's output (an error it throws is the outcome). */
  run(target: AdminTarget): Promise<Output>
  /** What of the output the contract holds, beside its keys. */
  observe?(output: Output): unknown
  expect: Outcome & { observed?: unknown }
}

let counter = 0
const freshName = () => `replica-${process.pid}-${++counter}`
type Attrs = { Name?: string; Value?: string }[]
const names = (list: Attrs | undefined) => (list ?? []).map((a) => a.Name).sort()
const attribute = (list: Attrs | undefined, name: string) => list?.find((a) => a.Name === name)?.Value

/** A user as replication copies one: email verified, no invitation. Answers AdminCreateUser's output. */
async function createUser(t: AdminTarget, username = freshName()) {
  return t.client.send(
    new AdminCreateUserCommand({
      UserPoolId: t.userPoolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  )
}

const getUser = (t: AdminTarget, username: string) =>
  t.client.send(new AdminGetUserCommand({ UserPoolId: t.userPoolId, Username: username }))

const USER_FIELDS = ['Enabled', 'UserCreateDate', 'UserLastModifiedDate', 'UserStatus', 'Username']
const under = (prefix: string, keys: string[]) => keys.map((k) => `${prefix}.${k}`)
const ATTRIBUTES = (at: string) => [at, `${at}[].Name`, `${at}[].Value`]
const GET_USER = [...USER_FIELDS, ...ATTRIBUTES('UserAttributes')].sort()
const CREATED = ['User', ...under('User', [...USER_FIELDS, ...ATTRIBUTES('Attributes')])].sort()
const LISTED = ['Users', ...under('Users[]', [...USER_FIELDS, ...ATTRIBUTES('Attributes')])].sort()
const missing = { status: 400, type: 'UserNotFoundException', message: 'User does not exist.' }

export const ADMIN_SCENARIOS: AdminScenario[] = [
  {
    name: 'AdminGetUser of a missing user',
    run: (t) => getUser(t, freshName()),
    expect: missing,
  },
  {
    name: 'AdminCreateUser answers the new user with its sub and attributes, waiting for a password',
    run: (t) => createUser(t),
    observe: (out) => ({ attributes: names(out.User.Attributes), status: out.User.UserStatus }),
    expect: {
      status: 200,
      keys: CREATED,
      observed: { attributes: ['email', 'email_verified', 'sub'], status: 'FORCE_CHANGE_PASSWORD' },
    },
  },
  {
    name: 'AdminCreateUser of an existing username',
    run: async (t) => {
      const username = freshName()
      await createUser(t, username)
      return createUser(t, username)
    },
    expect: { status: 400, type: 'UsernameExistsException', message: 'User account already exists' },
  },
  {
    name: 'AdminGetUser answers the user and its attributes, enabled',
    run: async (t) => getUser(t, (await createUser(t)).User!.Username!),
    observe: (out) => ({ attributes: names(out.UserAttributes), enabled: out.Enabled }),
    expect: {
      status: 200,
      keys: GET_USER,
      observed: { attributes: ['email', 'email_verified', 'sub'], enabled: true },
    },
  },
  {
    name: 'AdminUpdateUserAttributes changes what AdminGetUser answers',
    run: async (t) => {
      const username = (await createUser(t)).User!.Username!
      const UserAttributes = [
        { Name: 'email', Value: 'moved@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ]
      await t.client.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: t.userPoolId, Username: username, UserAttributes }),
      )
      return getUser(t, username)
    },
    observe: (out) => attribute(out.UserAttributes, 'email'),
    expect: { status: 200, observed: 'moved@example.com' },
  },
  {
    name: 'AdminDisableUser answers nothing, and the user shows disabled',
    run: async (t) => {
      const username = (await createUser(t)).User!.Username!
      const disable = new AdminDisableUserCommand({ UserPoolId: t.userPoolId, Username: username })
      const { $metadata: _, ...answer } = await t.client.send(disable)
      return { answer, after: (await getUser(t, username)).Enabled }
    },
    observe: (out) => out.after,
    expect: { status: 200, keys: ['after', 'answer'], observed: false },
  },
  {
    name: 'AdminEnableUser enables a disabled user again',
    run: async (t) => {
      const username = (await createUser(t)).User!.Username!
      await t.client.send(new AdminDisableUserCommand({ UserPoolId: t.userPoolId, Username: username }))
      await t.client.send(new AdminEnableUserCommand({ UserPoolId: t.userPoolId, Username: username }))
      return getUser(t, username)
    },
    observe: (out) => out.Enabled,
    expect: { status: 200, observed: true },
  },
  {
    name: 'AdminDisableUser of a missing user',
    run: (t) => t.client.send(new AdminDisableUserCommand({ UserPoolId: t.userPoolId, Username: freshName() })),
    expect: missing,
  },
  {
    name: 'AdminDeleteUser removes the user: AdminGetUser no longer finds it',
    run: async (t) => {
      const username = (await createUser(t)).User!.Username!
      await t.client.send(new AdminDeleteUserCommand({ UserPoolId: t.userPoolId, Username: username }))
      return getUser(t, username)
    },
    expect: missing,
  },
  {
    name: 'AdminDeleteUser of a missing user',
    run: (t) => t.client.send(new AdminDeleteUserCommand({ UserPoolId: t.userPoolId, Username: freshName() })),
    expect: missing,
  },
  {
    name: 'ListUsers with the filter sub = "…" finds the one user with that sub',
    run: async (t) => {
      const created = await createUser(t)
      await createUser(t)
      const sub = attribute(created.User!.Attributes, 'sub')
      const out = await t.client.send(new ListUsersCommand({ UserPoolId: t.userPoolId, Filter: `sub = "${sub}"` }))
      return { ...out, expected: created.User!.Username }
    },
    observe: (out) => out.Users.map((u: Output) => u.Username === out.expected),
    expect: { status: 200, keys: [...LISTED, 'expected'].sort(), observed: [true] },
  },
  {
    name: 'ListUsers answers pages of Limit users with a PaginationToken while more remain',
    run: async (t) => {
      await createUser(t)
      await createUser(t)
      const first = await t.client.send(new ListUsersCommand({ UserPoolId: t.userPoolId, Limit: 1 }))
      const next = { UserPoolId: t.userPoolId, Limit: 1, PaginationToken: first.PaginationToken }
      const second = await t.client.send(new ListUsersCommand(next))
      return { first, second, differ: first.Users?.[0]?.Username !== second.Users?.[0]?.Username }
    },
    observe: (out) => ({ sizes: [out.first.Users.length, out.second.Users.length], differ: out.differ }),
    expect: { status: 200, observed: { sizes: [1, 1], differ: true } },
  },
  {
    name: 'a pool that does not exist',
    run: (t) => getUser({ ...t, userPoolId: 'eu-west-1_Nowhere' }, freshName()),
    expect: { status: 400, type: 'ResourceNotFoundException', message: 'User pool eu-west-1_Nowhere does not exist.' },
  },
]
