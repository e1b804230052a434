import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs'
import { mockClient } from 'aws-sdk-client-mock'

/** An SQS client whose SendMessageBatch bodies land in `sent`; other calls recorded. */
export function fakeQueue(queueUrl = 'https://sqs.eu-west-1.amazonaws.com/1/regionless-replication') {
  const client = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
  const mock = mockClient(client)
  const sent: unknown[] = []
  /** DelaySeconds of each sent entry, in the order of `sent` (0 when none). */
  const delays: number[] = []
  const visibility: { receiptHandle: string; seconds: number }[] = []
  let sendFails = false
  mock.on(SendMessageBatchCommand).callsFake(async (input) => {
    if (sendFails) throw new Error('queue unavailable')
    for (const e of input.Entries ?? []) {
      sent.push(JSON.parse(e.MessageBody))
      delays.push(e.DelaySeconds ?? 0)
    }
    return { Successful: (input.Entries ?? []).map((e: { Id: string }) => ({ Id: e.Id })), Failed: [] }
  })
  mock.on(ChangeMessageVisibilityCommand).callsFake(async (input) => {
    visibility.push({ receiptHandle: input.ReceiptHandle, seconds: input.VisibilityTimeout })
    return {}
  })
  mock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } })
  mock.on(ReceiveMessageCommand).resolves({ Messages: [] })
  mock.on(DeleteMessageBatchCommand).resolves({ Successful: [] })
  return {
    client,
    mock,
    queueUrl,
    queue: { client, queueUrl },
    sent,
    delays,
    visibility,
    setSendFails(value: boolean) {
      sendFails = value
    },
  }
}
