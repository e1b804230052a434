/**
 * The EventBridge "AWS API Call via CloudTrail" event for a Cognito user
 * pool call, reduced to the fields replication reads. CloudTrail hides
 * secrets (access tokens, attribute values, sometimes the username) as
 * `HIDDEN_DUE_TO_SECURITY_REASONS`, so the handler re-reads the user.
 */
export interface CognitoApiCallEvent {
  version?: string
  id?: string
  'detail-type': 'AWS API Call via CloudTrail' | string
  source: 'aws.cognito-idp' | string
  account?: string
  time?: string
  region?: string
  detail: CloudTrailDetail
}

export interface CloudTrailDetail {
  eventVersion?: string
  eventSource: string
  eventName: string
  eventTime: string
  awsRegion?: string
  userAgent?: string
  errorCode?: string
  errorMessage?: string
  userIdentity?: {
    type?: string
    principalId?: string
    arn?: string
    accountId?: string
    accessKeyId?: string
    sessionContext?: { sessionIssuer?: { arn?: string; userName?: string } }
  }
  requestParameters?: {
    userPoolId?: string
    username?: string
    accessToken?: string
    userAttributes?: unknown
    [name: string]: unknown
  } | null
  additionalEventData?: { sub?: string; [name: string]: unknown } | null
  eventID?: string
}

/** The calls that change a user directory, by what they mean for replication. */
export const LIFECYCLE_EVENTS = {
  AdminUpdateUserAttributes: 'attributes',
  UpdateUserAttributes: 'attributes',
  VerifyUserAttribute: 'attributes',
  AdminDeleteUserAttributes: 'attributes',
  DeleteUserAttributes: 'attributes',
  AdminDisableUser: 'state',
  AdminEnableUser: 'state',
  AdminDeleteUser: 'delete',
  DeleteUser: 'delete',
} as const

export type LifecycleEventName = keyof typeof LIFECYCLE_EVENTS

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS'

/**
 * The event's time in ms. CloudTrail gives whole seconds; such a time is
 * taken as the end of its second, so a change is never ordered before an
 * earlier write of the same second (deletes then win ties, as documented).
 */
export function eventTimeMs(eventTime: string): number | undefined {
  const ms = Date.parse(eventTime)
  if (!Number.isFinite(ms)) return undefined
  return /\.\d+/.test(eventTime) ? ms : ms + 999
}

/** True when the call was made by replication itself (its user agent marker or one of its principals). */
export function isOwnCall(detail: CloudTrailDetail, marker: string, principals: readonly string[]): boolean {
  if (marker && detail.userAgent?.includes(marker)) return true
  const id = detail.userIdentity
  const candidates = [id?.arn, id?.principalId, id?.accessKeyId, id?.sessionContext?.sessionIssuer?.arn]
  return candidates.some((c) => c !== undefined && c !== '' && principals.includes(c))
}
