import { randomInt, timingSafeEqual } from 'node:crypto'
import type { PostConfirmationTriggerEvent } from 'aws-lambda'
import type { FirstAuthFactor } from '../config/app-client-config.js'
import { CognitoError, requireString, resourceNotFound } from '../errors.js'
import type { InboxMessage } from '../inbox.js'
import type { SessionStore } from '../store/challenge-sessions.js'
import { type StoredUser, triggerAttributes, type UserStore } from '../store/user-store.js'
import type { PoolKeys } from '../tokens/pool-keys.js'
import type { RefreshRotation } from '../tokens/refresh-tokens.js'
import type { TokenService, TokenValidity } from '../tokens/token-service.js'
import { eventBase, runTrigger, type TriggerSet } from '../triggers/run-trigger.js'
import type { AttributePermissions } from './attribute-permissions.js'

export interface PoolSettings {
  /** AuthSessionValidity of the app client, minutes (3 to 15). */
  authSessionValidityMinutes: number
  preventUserExistenceErrors: boolean
  tokenValidity: TokenValidity
  /** The app client's RefreshTokenRotation (Feature ENABLED, RetryGracePeriodSeconds). */
  refreshTokenRotation: RefreshRotation
  /** The app client's ReadAttributes and WriteAttributes. */
  attributes: AttributePermissions
  /** The pool's SignInPolicy.AllowedFirstAuthFactors. */
  allowedFirstAuthFactors: readonly FirstAuthFactor[]
  /** AttributesRequireVerificationBeforeUpdate holds `email`: a new email waits for verification. */
  keepOriginalEmail: boolean
}

/** One region's user pool as the region server sees it. */
export interface RegionPool {
  region: string
  userPoolId: string
  clientId: string
  issuer: string
  /** `pool`: independent pool; `primary`/`secondary`: a replica of a multi-Region pool. */
  role: 'pool' | 'primary' | 'secondary'
  primaryRegion: string
  /** When the pool was made (the emulator's start): DescribeUserPool's CreationDate. */
  createdAt: number
  users: UserStore
  keys: PoolKeys
  tokens: TokenService
  sessions: SessionStore
  settings: PoolSettings
  triggers: TriggerSet
}

/** Everything one request's operation may touch. */
export interface OperationContext {
  pool: RegionPool
  now: () => number
  log: (line: string) => void
  sendEmail: (message: Omit<InboxMessage, 'region'>) => Promise<void>
  awsSdkVersion: string
  /** True when the request carried a SigV4 `Authorization` header (admin operations need one). */
  signed: boolean
}

export type Operation = (ctx: OperationContext, body: Record<string, unknown>) => Promise<unknown>

export function requireClient(ctx: OperationContext, body: Record<string, unknown>): string {
  const clientId = requireString(body, 'ClientId')
  if (clientId !== ctx.pool.clientId) throw resourceNotFound(`User pool client ${clientId} does not exist.`)
  return clientId
}

export function requirePool(ctx: OperationContext, body: Record<string, unknown>): void {
  if (!ctx.signed) {
    throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token')
  }
  const userPoolId = requireString(body, 'UserPoolId')
  if (userPoolId !== ctx.pool.userPoolId) throw resourceNotFound(`User pool ${userPoolId} does not exist.`)
}

/**
 * A secondary replica serves sign-in, not writes to the user directory.
 * OperationNotEnabledException is what the Cognito API model documents for
 * "operations that are not supported in secondary replica regions".
 */
export function assertWritable(ctx: OperationContext, operation: string): void {
  if (ctx.pool.role !== 'secondary') return
  throw new CognitoError(
    'OperationNotEnabledException',
    `${operation} is not supported on a secondary replica of user pool ${ctx.pool.userPoolId}; use the primary region ${ctx.pool.primaryRegion}.`,
  )
}

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

export function codeMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Cognito's masked destination, e.g. `a***@e***`. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.charAt(0)}***@${domain.charAt(0)}***`
}

export const codeDelivery = (email: string) => ({
  Destination: maskEmail(email),
  DeliveryMedium: 'EMAIL',
  AttributeName: 'email',
})

/**
 * Cognito's own code emails (sign-up confirmation, attribute verification):
 * keeps a new code in `user.codes[slot]` for `ttlMs`, mails it, and returns
 * the `CodeDeliveryDetails` Cognito answers with.
 */
export async function sendCodeEmail(
  ctx: OperationContext,
  user: StoredUser,
  options: { slot: string; email: string; kind: 'confirmation' | 'verification'; ttlMs: number },
) {
  const code = newCode()
  user.codes[options.slot] = { code, expiresAt: ctx.now() + options.ttlMs }
  await ctx.sendEmail({
    to: options.email,
    kind: options.kind,
    subject: 'Your verification code',
    text: `Your ${options.kind} code is ${code}`,
    html: `<p>Your ${options.kind} code is <b>${code}</b></p>`,
    code,
  })
  return codeDelivery(options.email)
}

/** Runs Post confirmation (`PostConfirmation_ConfirmSignUp`) for a user who just became CONFIRMED. */
export async function postConfirmation(
  ctx: OperationContext,
  user: StoredUser,
  clientId: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  const { pool } = ctx
  const event = {
    ...eventBase(
      {
        region: pool.region,
        userPoolId: pool.userPoolId,
        userName: user.username,
        clientId,
        awsSdkVersion: ctx.awsSdkVersion,
      },
      'PostConfirmation_ConfirmSignUp',
    ),
    request: { userAttributes: triggerAttributes(user), ...(clientMetadata && { clientMetadata }) },
    response: {},
  } as PostConfirmationTriggerEvent
  await runTrigger('postConfirmation', pool.triggers.postConfirmation, event, ctx.log)
}

/** Dates in Cognito's JSON protocol are epoch seconds. */
export const epochSeconds = (ms: number) => ms / 1000
