import { type Stack, Validations } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

/**
 * The AwsSolutions (cdk-nag) findings Regionless accepts on purpose, each with its reason. Anything
 * else must pass: a test runs the pack on every stack.
 */
export const NAG_ACKNOWLEDGEMENTS: Array<{ id: string; reason: string }> = [
  {
    id: 'AwsSolutions-COG2',
    reason:
      'Sign-in is passwordless: every sign-in already proves possession of the mailbox (code or link) or of a peer session; there is no password to protect with a second factor.',
  },
  {
    id: 'AwsSolutions-COG8',
    reason:
      'The feature plan is a setting (featurePlan, default essentials); Plus adds threat protection at a higher price per MAU and is recommended where that cost is acceptable (docs/deploy.md).',
  },
  {
    id: 'AwsSolutions-APIG3',
    reason:
      'WAF web ACLs are account-specific and priced per ACL; attach your own to the REST stage (docs/deploy.md). Every route requires a token verified by the authorizer.',
  },
  {
    id: 'AwsSolutions-APIG6',
    reason:
      'Access logs are on for every stage; execution logging needs the account-wide API Gateway CloudWatch role, which this stack does not take over (docs/deploy.md).',
  },
]

export function suppressNagFindings(stack: Stack): void {
  for (const ack of NAG_ACKNOWLEDGEMENTS) Validations.of(stack).acknowledge(ack)
}

/** Why a queue that only EventBridge and Lambda send failures to needs no DLQ of its own. */
export const FAILURE_QUEUE_ACKNOWLEDGEMENT = {
  id: 'AwsSolutions-SQS3',
  reason:
    'This queue is itself a dead-letter queue: the lifecycle rule’s DLQ and the lifecycle function’s on-failure destination (cdk-nag only recognises RedrivePolicy DLQs). It is alarmed and redriven by a person.',
}

/** Acknowledges SQS3 on that one queue only, never stack-wide. */
export function acknowledgeFailureQueue(queue: IConstruct): void {
  Validations.of(queue).acknowledge(FAILURE_QUEUE_ACKNOWLEDGEMENT)
}

/** Why the passkey sign-in challenge route has no authorizer. */
export const OPEN_CHALLENGE_ACKNOWLEDGEMENT = {
  id: 'AwsSolutions-APIG4',
  reason:
    'POST /passkeys/challenge serves the usernameless (autofill) passkey sign-in, which starts before anyone holds a token; it only issues a random single-use challenge with a TTL. Every other passkey route has the verifier authorizer.',
}

/** Acknowledges APIG4 on that one route only, never stack-wide. */
export function acknowledgeOpenChallengeRoute(route: IConstruct): void {
  Validations.of(route).acknowledge(OPEN_CHALLENGE_ACKNOWLEDGEMENT)
}
