import { randomBytes } from 'node:crypto'
import { CognitoError, invalidParameter, optionalString, requireString, stringMap, userNotFound } from '../errors.js'
import { attributeList, newUser, parseAttributeList, type StoredUser } from '../store/user-store.js'
import { runTrigger } from '../triggers/run-trigger.js'
import { assertWritable, epochSeconds, newCode, type Operation, type OperationContext, requirePool } from './context.js'
import { checkPassword, checkUsername, preSignUpEvent } from './sign-up.js'

/** Cognito's `UserType`, as AdminCreateUser and ListUsers return it. */
export function userType(user: StoredUser, only?: readonly string[]) {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  }
}

function adminUser(ctx: OperationContext, body: Record<string, unknown>): StoredUser {
  requirePool(ctx, body)
  const user = ctx.pool.users.resolve(requireString(body, 'Username'))
  if (!user) throw userNotFound()
  return user
}

function save(ctx: OperationContext, user: StoredUser, change: (next: StoredUser) => void) {
  const next = structuredClone(user)
  change(next)
  next.updatedAt = ctx.now()
  ctx.pool.users.assertAliasFree(next)
  ctx.pool.users.put(next)
  return next
}

async function sendInvitation(ctx: OperationContext, user: StoredUser, password: string) {
  const email = user.attributes.email
  if (!email) return
  await ctx.sendEmail({
    to: email,
    kind: 'invitation',
    subject: 'Your temporary password',
    text: `Your username is ${user.username} and temporary password is ${password}.`,
    html: `<p>Your username is <b>${user.username}</b> and temporary password is <b>${password}</b>.</p>`,
  })
}

const temporaryPassword = () => `Tmp-${randomBytes(9).toString('base64url')}1a`

export const adminCreateUser: Operation = async (ctx, body) => {
  requirePool(ctx, body)
  assertWritable(ctx, 'AdminCreateUser')
  const username = requireString(body, 'Username')
  const action = optionalString(body, 'MessageAction')
  if (action !== undefined && action !== 'RESEND' && action !== 'SUPPRESS') {
    throw invalidParameter(
      `1 validation error detected: Value '${action}' at 'messageAction' failed to satisfy constraint`,
    )
  }
  const existing = ctx.pool.users.get(username)
  if (action === 'RESEND') {
    if (!existing) throw userNotFound()
    await sendInvitation(ctx, existing, temporaryPassword())
    return { User: userType(existing) }
  }
  checkUsername(username)
  if (existing) throw new CognitoError('UsernameExistsException', 'User account already exists')
  const password = optionalString(body, 'TemporaryPassword')
  if (password !== undefined) checkPassword(password)
  const attributes = parseAttributeList(body.UserAttributes)
  const validationData = parseAttributeList(body.ValidationData, 'ValidationData')
  const clientMetadata = stringMap(body, 'ClientMetadata')
  const { pool } = ctx
  const event = preSignUpEvent(ctx, {
    username,
    clientId: 'CLIENT_ID_NOT_APPLICABLE',
    triggerSource: 'PreSignUp_AdminCreateUser',
    attributes,
    validationData,
    clientMetadata,
  })
  // The trigger may reject the user; its autoConfirm/autoVerify flags are ignored for AdminCreateUser.
  await runTrigger('preSignUp', pool.triggers.preSignUp, event, ctx.log)
  if (pool.users.get(username)) throw new CognitoError('UsernameExistsException', 'User account already exists')
  const user = newUser(username, attributes, 'FORCE_CHANGE_PASSWORD', ctx.now())
  pool.users.assertAliasFree(user)
  pool.users.put(user)
  // No Post confirmation here, ever: this is what keeps replication from looping.
  if (action !== 'SUPPRESS') await sendInvitation(ctx, user, password ?? temporaryPassword())
  return { User: userType(user) }
}

export const adminGetUser: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  const { Attributes, ...rest } = userType(user)
  return { ...rest, UserAttributes: Attributes }
}

export const adminUpdateUserAttributes: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  assertWritable(ctx, 'AdminUpdateUserAttributes')
  const changes = parseAttributeList(body.UserAttributes)
  stringMap(body, 'ClientMetadata')
  let verifyEmail: string | undefined
  const next = save(ctx, user, (u) => {
    Object.assign(u.attributes, changes)
    if (changes.email !== undefined && changes.email !== user.attributes.email && changes.email_verified !== 'true') {
      u.attributes.email_verified = 'false'
      verifyEmail = changes.email
    }
    if (verifyEmail) u.codes['attr:email'] = { code: newCode(), expiresAt: ctx.now() + 24 * 3_600_000 }
  })
  const pending = next.codes['attr:email']
  if (verifyEmail && pending) {
    await ctx.sendEmail({
      to: verifyEmail,
      kind: 'verification',
      subject: 'Your verification code',
      text: `Your verification code is ${pending.code}`,
      html: `<p>Your verification code is <b>${pending.code}</b></p>`,
      code: pending.code,
    })
  }
  return {}
}

export const adminDeleteUserAttributes: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  assertWritable(ctx, 'AdminDeleteUserAttributes')
  const names = body.UserAttributeNames
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw invalidParameter('UserAttributeNames must be a list of attribute names')
  }
  if (names.includes('sub')) throw invalidParameter('Cannot modify an immutable attribute: sub')
  save(ctx, user, (u) => {
    for (const name of names as string[]) delete u.attributes[name]
  })
  return {}
}

export const adminDeleteUser: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  assertWritable(ctx, 'AdminDeleteUser')
  ctx.pool.users.delete(user.username)
  ctx.pool.tokens.revokeUser(user.username)
  return {}
}

export const adminDisableUser: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  assertWritable(ctx, 'AdminDisableUser')
  save(ctx, user, (u) => {
    u.enabled = false
  })
  ctx.pool.tokens.revokeUser(user.username)
  return {}
}

export const adminEnableUser: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  assertWritable(ctx, 'AdminEnableUser')
  save(ctx, user, (u) => {
    u.enabled = true
  })
  return {}
}

export const adminSetUserPassword: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  assertWritable(ctx, 'AdminSetUserPassword')
  checkPassword(requireString(body, 'Password'))
  const permanent = body.Permanent === true
  save(ctx, user, (u) => {
    u.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD'
  })
  return {}
}

export const adminUserGlobalSignOut: Operation = async (ctx, body) => {
  const user = adminUser(ctx, body)
  ctx.pool.tokens.revokeUser(user.username)
  return {}
}
