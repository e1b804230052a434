import type { PreSignUpTriggerEvent } from 'aws-lambda'
import { CognitoError, invalidParameter, notAuthorized, optionalString, requireString, stringMap } from '../errors.js'
import { newUser, parseAttributeList, type StoredUser } from '../store/user-store.js'
import { eventBase, runTrigger } from '../triggers/run-trigger.js'
import { assertAttributesWritable } from './attribute-permissions.js'
import {
  assertWritable,
  codeMatches,
  type Operation,
  type OperationContext,
  postConfirmation,
  requireClient,
  sendCodeEmail,
} from './context.js'

const SIGN_UP_CODE_TTL_MS = 24 * 3_600_000

/** The default password policy of a new pool: 8+ characters, upper, lower, digit, symbol. */
export function checkPassword(password: string): void {
  const rules: [boolean, string][] = [
    [password.length >= 8, 'Password not long enough'],
    [/[a-z]/.test(password), 'Password must have lowercase characters'],
    [/[A-Z]/.test(password), 'Password must have uppercase characters'],
    [/[0-9]/.test(password), 'Password must have numeric characters'],
    [/[^A-Za-z0-9]/.test(password), 'Password must have symbol characters'],
  ]
  const broken = rules.find(([ok]) => !ok)
  if (broken) throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${broken[1]}`)
}

/** Username rules of a pool with email as an alias: no email-shaped usernames. */
export function checkUsername(username: string): void {
  if (username.length > 128 || /\s/.test(username)) {
    throw invalidParameter("1 validation error detected: Value at 'username' failed to satisfy constraint")
  }
  if (/^[^@]+@[^@]+$/.test(username)) {
    throw invalidParameter('Username cannot be of email format, since user pool is configured for email alias.')
  }
}

/**
 * SignUp's password: omitted and blank mean "no password", which only a pool
 * that lets users sign in first with an email or SMS one-time password
 * accepts. Any password given must meet the policy.
 */
function checkSignUpPassword(ctx: OperationContext, password: string | undefined): void {
  if (password === undefined || password === '') {
    const factors = ctx.pool.settings.allowedFirstAuthFactors
    if (factors.includes('EMAIL_OTP') || factors.includes('SMS_OTP')) return
    throw invalidParameter(PASSWORD_REQUIRED)
  }
  checkPassword(password)
}

/** Cognito's validation message for a required member left out. */
const PASSWORD_REQUIRED =
  "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null"

async function sendSignUpCode(ctx: OperationContext, user: StoredUser) {
  const email = user.attributes.email
  if (!email) return undefined
  return sendCodeEmail(ctx, user, { slot: 'signup', email, kind: 'confirmation', ttlMs: SIGN_UP_CODE_TTL_MS })
}

/** Pre sign-up's event as Cognito shapes it, for SignUp and AdminCreateUser alike. */
export function preSignUpEvent(
  ctx: OperationContext,
  input: {
    username: string
    clientId: string
    triggerSource: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser'
    attributes: Record<string, string>
    validationData: Record<string, string>
    clientMetadata: Record<string, string> | undefined
  },
): PreSignUpTriggerEvent {
  const { pool } = ctx
  return {
    ...eventBase(
      {
        region: pool.region,
        userPoolId: pool.userPoolId,
        userName: input.username,
        clientId: input.clientId,
        awsSdkVersion: ctx.awsSdkVersion,
      },
      input.triggerSource,
    ),
    request: {
      userAttributes: { ...input.attributes },
      validationData: Object.keys(input.validationData).length ? input.validationData : null,
      ...(input.clientMetadata && { clientMetadata: input.clientMetadata }),
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as unknown as PreSignUpTriggerEvent
}

export const signUp: Operation = async (ctx, body) => {
  const clientId = requireClient(ctx, body)
  assertWritable(ctx, 'SignUp')
  const username = requireString(body, 'Username')
  checkUsername(username)
  checkSignUpPassword(ctx, optionalString(body, 'Password'))
  const attributes = parseAttributeList(body.UserAttributes)
  assertAttributesWritable(ctx.pool.settings.attributes, Object.keys(attributes))
  const validationData = parseAttributeList(body.ValidationData, 'ValidationData')
  const clientMetadata = stringMap(body, 'ClientMetadata')
  const { pool } = ctx
  if (pool.users.get(username)) throw new CognitoError('UsernameExistsException', 'User already exists')

  const event = preSignUpEvent(ctx, {
    username,
    clientId,
    triggerSource: 'PreSignUp_SignUp',
    attributes,
    validationData,
    clientMetadata,
  })
  const { response } = await runTrigger('preSignUp', pool.triggers.preSignUp, event, ctx.log)
  // A concurrent sign-up of the same username may have won while the trigger ran.
  if (pool.users.get(username)) throw new CognitoError('UsernameExistsException', 'User already exists')

  const confirmed = response.autoConfirmUser === true
  const user = newUser(username, attributes, confirmed ? 'CONFIRMED' : 'UNCONFIRMED', ctx.now())
  if (response.autoVerifyEmail === true && attributes.email) user.attributes.email_verified = 'true'
  else if (attributes.email) user.attributes.email_verified = 'false'
  pool.users.assertAliasFree(user)
  const delivery = confirmed ? undefined : await sendSignUpCode(ctx, user)
  pool.users.put(user)
  if (confirmed) await postConfirmation(ctx, user, clientId, clientMetadata)
  return { UserConfirmed: confirmed, UserSub: user.sub, ...(delivery && { CodeDeliveryDetails: delivery }) }
}

export const confirmSignUp: Operation = async (ctx, body) => {
  const clientId = requireClient(ctx, body)
  assertWritable(ctx, 'ConfirmSignUp')
  const username = requireString(body, 'Username')
  const code = requireString(body, 'ConfirmationCode')
  const clientMetadata = stringMap(body, 'ClientMetadata')
  const user = ctx.pool.users.get(username)
  if (!user) {
    if (ctx.pool.settings.preventUserExistenceErrors) {
      throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
    }
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.')
  }
  if (user.status !== 'UNCONFIRMED') {
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`)
  }
  const pending = user.codes.signup
  if (!pending || !codeMatches(pending.code, code)) {
    throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
  }
  if (pending.expiresAt <= ctx.now()) {
    throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
  }
  const next = structuredClone(user)
  delete next.codes.signup
  next.status = 'CONFIRMED'
  next.attributes.email_verified = 'true'
  next.updatedAt = ctx.now()
  if (body.ForceAliasCreation === true && next.attributes.email) {
    const holder = ctx.pool.users.byAlias(next.attributes.email)
    if (holder && holder.username !== next.username) {
      ctx.pool.users.put({ ...holder, attributes: { ...holder.attributes, email_verified: 'false' } })
    }
  }
  ctx.pool.users.assertAliasFree(next)
  ctx.pool.users.put(next)
  await postConfirmation(ctx, next, clientId, clientMetadata)
  return {}
}

export const resendConfirmationCode: Operation = async (ctx, body) => {
  requireClient(ctx, body)
  assertWritable(ctx, 'ResendConfirmationCode')
  const username = requireString(body, 'Username')
  const user = ctx.pool.users.get(username)
  if (!user) {
    if (ctx.pool.settings.preventUserExistenceErrors) {
      return { CodeDeliveryDetails: { Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } }
    }
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.')
  }
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.')
  const next = structuredClone(user)
  const delivery = await sendSignUpCode(ctx, next)
  ctx.pool.users.put(next)
  return { CodeDeliveryDetails: delivery }
}
