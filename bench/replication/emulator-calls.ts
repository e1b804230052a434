// Plain HTTP calls to the emulator (Cognito and SQS JSON protocols): the bench needs no AWS SDK of its own.
const SIGNED =
  'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00'

export async function cognito(endpoint: string, operation: string, body: unknown, signed = false) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...(signed && { authorization: SIGNED }),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  })
  const json = (await res.json()) as Record<string, unknown>
  return { ok: res.ok, body: json }
}

export async function sqs(endpoint: string, operation: string, body: unknown) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${operation}`,
      authorization: SIGNED.replace('cognito-idp', 'sqs'),
    },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`SQS ${operation}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, unknown>
}

export async function queueDepths(controlUrl: string) {
  const res = await fetch(`${controlUrl}/_regionless/queues`)
  return (await res.json()) as { region: string; queue: { total: number }; dlq: { total: number } }[]
}

export async function userCount(controlUrl: string, region: string) {
  const res = await fetch(`${controlUrl}/_regionless/users?region=${region}`)
  return ((await res.json()) as unknown[]).length
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
}
