import type { IncomingMessage, ServerResponse } from 'node:http'
import type { OriginAllowList } from '../config/allowed-origins.js'
import { type AccessVerdict, checkLocalAccess } from './local-access.js'

const MAX_BODY_BYTES = 1_048_576

/** Reads a request body up to `maxBytes` (1 MiB by default); `undefined` when it is larger. */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Headers a browser needs to call the emulator (and read Cognito's error headers). Only for a request
 * that passed {@link refuseForeign}, so the origin echoed is an allowed one; none without an Origin.
 */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin
  if (!origin) return {}
  const requested = req.headers['access-control-request-headers']
  const allowed = [
    'content-type',
    'x-amz-target',
    'x-amz-user-agent',
    'x-amz-date',
    'x-amz-security-token',
    'x-amz-content-sha256',
    'amz-sdk-invocation-id',
    'amz-sdk-request',
    'authorization',
    'cache-control',
  ]
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS, DELETE',
    'access-control-allow-headers': requested ? `${allowed.join(', ')}, ${requested}` : allowed.join(', '),
    'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
    'access-control-max-age': '600',
    vary: 'Origin',
  }
}

const REFUSALS: Record<Exclude<AccessVerdict, 'allowed'>, string> = {
  'foreign-host': 'the emulator answers only Host 127.0.0.1, localhost or [::1] on its own port',
  'foreign-origin': 'this Origin is not allowed: add it with --allow-origin or the allowedOrigins option',
}

/**
 * Answers 403, with no CORS headers, a request from a foreign Host or Origin (see `checkLocalAccess`)
 * and returns true; false when the request may go on.
 */
export function refuseForeign(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  origins: OriginAllowList,
): boolean {
  const verdict = checkLocalAccess(req, port, origins)
  if (verdict === 'allowed') return false
  const text = JSON.stringify({ error: verdict, message: REFUSALS[verdict] })
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
  res.end(text)
  return true
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...corsHeaders(req),
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}

export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string, type: string): void {
  res.writeHead(status, {
    ...corsHeaders(req),
    'content-type': type,
    'content-length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
