import { CognitoError, invalidParameter, notAuthorized, requireString } from '../errors.js'
import { attributeList, parseAttributeList, type StoredUser } from '../store/user-store.js'
import { assertAttributesWritable, isReadable } from './attribute-permissions.js'
import {
  assertWritable,
  codeMatches,
  type Operation,
  type OperationContext,
  requireClient,
  sendCodeEmail,
} from './context.js'

const ATTRIBUTE_CODE_TTL_MS = 24 * 3_600_000

/** The user an access token belongs to, checked like Cognito (signature, expiry, revocation, state). */
async function tokenUser(ctx: OperationContext, body: Record<string, unknown>): Promise<StoredUser> {
  const token = requireString(body, 'AccessToken')
  const { username } = await ctx.pool.tokens.verifyAccess(token)
  const user = ctx.pool.users.get(username)
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.')
  if (!user.enabled) throw notAuthorized('User is disabled.')
  return user
}

/** GetUser shows only what the app client may read (ReadAttributes). */
export const getUser: Operation = async (ctx, body) => {
  const user = await tokenUser(ctx, body)
  const readable = attributeList(user).filter((a) => isReadable(ctx.pool.settings.attributes, a.Name))
  return { Username: user.username, UserAttributes: readable }
}

/** Sends the code that VerifyUserAttribute expects after an email change. */
async function sendVerification(ctx: OperationContext, user: StoredUser, email: string) {
  return sendCodeEmail(ctx, user, { slot: 'attr:email', email, kind: 'verification', ttlMs: ATTRIBUTE_CODE_TTL_MS })
}

export const updateUserAttributes: Operation = async (ctx, body) => {
  const user = await tokenUser(ctx, body)
  assertWritable(ctx, 'UpdateUserAttributes')
  const changes = parseAttributeList(body.UserAttributes)
  assertAttributesWritable(ctx.pool.settings.attributes, Object.keys(changes))
  const next = structuredClone(user)
  const deliveries = []
  const { email, ...others } = changes
  for (const [name, value] of Object.entries(others)) next.attributes[name] = value
  if (email !== undefined && email !== user.attributes.email) {
    // Cognito's "keep original attribute value active when an update is pending": a verified email
    // stays the one in use (sign-in mail goes there) until the new one is verified.
    const keepOriginal = ctx.pool.settings.keepOriginalEmail && user.attributes.email_verified === 'true'
    if (!keepOriginal) {
      next.attributes.email = email
      next.attributes.email_verified = 'false'
    }
    deliveries.push(await sendVerification(ctx, next, email))
    if (keepOriginal) (next.codes['attr:email'] as { value?: string }).value = email
  }
  next.updatedAt = ctx.now()
  ctx.pool.users.put(next)
  return { CodeDeliveryDetailsList: deliveries }
}

export const verifyUserAttribute: Operation = async (ctx, body) => {
  const user = await tokenUser(ctx, body)
  assertWritable(ctx, 'VerifyUserAttribute')
  const name = requireString(body, 'AttributeName')
  const code = requireString(body, 'Code')
  if (name !== 'email') throw invalidParameter(`Attribute ${name} cannot be verified.`)
  const pending = user.codes['attr:email']
  if (!pending || !codeMatches(pending.code, code)) {
    throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
  }
  if (pending.expiresAt <= ctx.now()) {
    throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
  }
  const next = structuredClone(user)
  delete next.codes['attr:email']
  if (pending.value !== undefined) next.attributes.email = pending.value
  next.attributes.email_verified = 'true'
  next.updatedAt = ctx.now()
  ctx.pool.users.assertAliasFree(next)
  ctx.pool.users.put(next)
  return {}
}

export const deleteUser: Operation = async (ctx, body) => {
  const user = await tokenUser(ctx, body)
  assertWritable(ctx, 'DeleteUser')
  ctx.pool.users.delete(user.username)
  ctx.pool.tokens.revokeUser(user.username)
  return {}
}

export const globalSignOut: Operation = async (ctx, body) => {
  const user = await tokenUser(ctx, body)
  ctx.pool.tokens.revokeUser(user.username)
  return {}
}

export const revokeToken: Operation = async (ctx, body) => {
  const clientId = requireClient(ctx, body)
  const token = requireString(body, 'Token')
  ctx.pool.tokens.revokeRefresh(token, clientId)
  return {}
}
