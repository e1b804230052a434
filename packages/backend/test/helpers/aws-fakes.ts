import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms'
import { mockClient } from 'aws-sdk-client-mock'

/**
 * A KMS mock that signs like KMS does for ECDSA_SHA_256 + RAW: SHA-256 of
 * the message, signature in DER, and serves the public key as DER SPKI.
 */
export function mockKms(privateKey?: KeyObject) {
  const pair = privateKey ? { privateKey, publicKey: undefined } : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const key = pair.privateKey
  const kms = mockClient(KMSClient)
  kms.on(SignCommand).callsFake((input: { Message?: Uint8Array }) => ({
    Signature: new Uint8Array(
      sign('sha256', Buffer.from(input.Message ?? new Uint8Array()), { key, dsaEncoding: 'der' }),
    ),
    SigningAlgorithm: 'ECDSA_SHA_256',
  }))
  const spki = (pair.publicKey ?? key).export({ format: 'der', type: 'spki' })
  kms
    .on(GetPublicKeyCommand)
    .resolves({ PublicKey: new Uint8Array(spki), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
  return { kms, privateKey: key, spki: new Uint8Array(spki) }
}

type Item = Record<string, { S?: string; N?: string }>

/**
 * A DynamoDB mock that evaluates the two conditional writes the stores make
 * (`attribute_not_exists(#pk)` and `… OR sentAt <= :threshold`) against an
 * in-memory table, throwing ConditionalCheckFailedException like the service.
 */
export function mockDynamo() {
  const table = new Map<string, Item>()
  const dynamo = mockClient(DynamoDBClient)
  dynamo.on(PutItemCommand).callsFake((input) => {
    const item = input.Item as Item
    const key = item.pk?.S ?? ''
    const existing = table.get(key)
    let allowed = existing === undefined
    if (!allowed && String(input.ConditionExpression).includes('#version = :version')) {
      allowed = existing?.version?.N === input.ExpressionAttributeValues?.[':version']?.N
    }
    if (!allowed) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'
          ? { Item: existing as Record<string, AttributeValue> }
          : {}),
      })
    }
    table.set(key, item)
    return {}
  })
  dynamo.on(GetItemCommand).callsFake((input) => {
    const item = table.get(String(input.Key?.pk?.S))
    return item === undefined ? {} : { Item: item as Record<string, AttributeValue> }
  })
  return { dynamo, table }
}
