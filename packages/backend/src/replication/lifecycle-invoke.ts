import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda'
import type { LifecycleInvoke } from './redrive-lifecycle.js'

/** The lifecycle handler answered a replayed event with an error. */
export class LifecycleInvokeError extends Error {
  override readonly name = 'LifecycleInvokeError'
}

/**
 * Replays through the deployed lifecycle function: a synchronous invoke
 * (RequestResponse), so the answer says whether the handler succeeded; a
 * function error (`FunctionError`) rejects with the handler's own message.
 *
 * @example
 * const invoke = lambdaInvoke(new LambdaClient({ region: 'eu-west-1' }), 'myapp-lifecycle')
 */
export function lambdaInvoke(client: LambdaClient, functionName: string): LifecycleInvoke {
  return async (event) => {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    )
    const answer = out.Payload ? new TextDecoder().decode(out.Payload) : ''
    if (out.FunctionError) {
      const error = parsed(answer) as { errorType?: string; errorMessage?: string } | undefined
      throw new LifecycleInvokeError(
        `${functionName} failed (${out.FunctionError}): ${error?.errorType ?? 'Error'}: ${error?.errorMessage ?? answer}`,
      )
    }
    return parsed(answer)
  }
}

/**
 * Replays through a running emulator: `POST /_regionless/lifecycle` runs that region's lifecycle handler
 * once, as a synchronous invoke would, and answers 500 with the handler's error when it fails.
 */
export function emulatorInvoke(fetchFn: typeof fetch, controlUrl: string, region: string): LifecycleInvoke {
  return async (event) => {
    const res = await fetchFn(`${controlUrl}/_regionless/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ region, event }),
    })
    const answer = parsed(await res.text()) as { error?: string; result?: unknown } | undefined
    if (!res.ok) throw new LifecycleInvokeError(`lifecycle in ${region} failed: ${answer?.error ?? res.status}`)
    return answer?.result
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
