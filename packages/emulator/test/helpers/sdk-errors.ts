import { rejectionOf } from '../../../../test/helpers/rejection.js'

/** The error an SDK call rejects with: its name (Cognito's `__type`), message and HTTP status. */
export async function failure(promise: Promise<unknown>) {
  const e = (await rejectionOf(promise)) as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
  return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode }
}

/** What Cognito answers a write outside the app client's WriteAttributes. */
export const UNAUTHORIZED_WRITE = {
  name: 'NotAuthorizedException',
  message: 'A client attempted to write unauthorized attribute',
  status: 400,
}
