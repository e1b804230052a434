import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'

/** The user-directory calls whose CloudTrail events EventBridge delivers to the lifecycle handler. */
export const LIFECYCLE_OPERATIONS = new Set([
  'AdminUpdateUserAttributes',
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'AdminDeleteUserAttributes',
  'DeleteUserAttributes',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminDeleteUser',
  'DeleteUser',
])

/** One successful API call as the region server saw it. */
export interface ApiCall {
  operation: string
  body: Record<string, unknown>
  userAgent: string
  /** From the SigV4 `Credential=` of a signed (admin) call. */
  accessKeyId?: string
  at: number
}

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS'
/** The AWS account every emulated resource belongs to (ARNs, CloudTrail events). */
export const ACCOUNT = '000000000000'

/** `AKID` from `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/cognito-idp/aws4_request, …`. */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1]
}

/**
 * The EventBridge "AWS API Call via CloudTrail" event AWS would deliver for
 * this call: values CloudTrail hides are hidden (tokens, attribute values),
 * admin calls name the pool and the user, self-service calls carry only the
 * caller's `sub` (from the access token) in `additionalEventData`.
 */
export function cloudTrailEvent(region: string, call: ApiCall) {
  const signed = call.accessKeyId !== undefined
  const requestParameters: Record<string, unknown> = {}
  if (typeof call.body.UserPoolId === 'string') requestParameters.userPoolId = call.body.UserPoolId
  if (typeof call.body.Username === 'string') requestParameters.username = call.body.Username
  if (call.body.UserAttributes !== undefined) requestParameters.userAttributes = HIDDEN
  if (call.body.UserAttributeNames !== undefined) requestParameters.userAttributeNames = call.body.UserAttributeNames
  if (typeof call.body.AttributeName === 'string') requestParameters.attributeName = call.body.AttributeName
  let additionalEventData: Record<string, unknown> | undefined
  if (typeof call.body.AccessToken === 'string') {
    requestParameters.accessToken = HIDDEN
    try {
      const { sub } = decodeJwt(call.body.AccessToken)
      if (typeof sub === 'string') additionalEventData = { sub }
    } catch {}
  }
  const time = new Date(call.at).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cognito-idp',
    account: ACCOUNT,
    time,
    region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: signed
        ? {
            type: 'IAMUser',
            principalId: call.accessKeyId,
            arn: `arn:aws:iam::${ACCOUNT}:user/${call.accessKeyId}`,
            accountId: ACCOUNT,
            accessKeyId: call.accessKeyId,
          }
        : { type: 'Unknown', principalId: 'Anonymous', accountId: ACCOUNT },
      // CloudTrail records whole seconds.
      eventTime: time,
      eventSource: 'cognito-idp.amazonaws.com',
      eventName: call.operation,
      awsRegion: region,
      sourceIPAddress: '127.0.0.1',
      userAgent: call.userAgent,
      requestParameters,
      responseElements: null,
      ...(additionalEventData && { additionalEventData }),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    },
  }
}

export type CloudTrailApiEvent = ReturnType<typeof cloudTrailEvent>
