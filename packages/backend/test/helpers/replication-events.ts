import type { SQSEvent, SQSRecord } from 'aws-lambda'
import type { CognitoApiCallEvent } from '../../src/replication/cloudtrail-event.js'

let ids = 0

/** Queue messages as one SQS batch, first receive each. */
export const sqsEvent = (messages: unknown[]): SQSEvent => ({
  Records: messages.map((m) => {
    const id = `msg-${++ids}`
    return {
      messageId: id,
      receiptHandle: `rh-${id}`,
      body: JSON.stringify(m),
      attributes: { ApproximateReceiveCount: '1' },
    } as unknown as SQSRecord
  }),
})

/** The CloudTrail event EventBridge delivers for an administrator's call (as the AWS CLI makes it). */
export function adminCallEvent(
  eventName: string,
  region: string,
  eventTime: string,
  requestParameters: Record<string, unknown>,
): CognitoApiCallEvent {
  return {
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cognito-idp',
    detail: {
      eventSource: 'cognito-idp.amazonaws.com',
      eventName,
      eventTime,
      awsRegion: region,
      userAgent: 'aws-cli/2.15.0',
      requestParameters,
    } as CognitoApiCallEvent['detail'],
  }
}
