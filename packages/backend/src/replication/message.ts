import { randomUUID } from 'node:crypto'

/** What a replication message asks the target pool to do. */
export const MESSAGE_KINDS = ['upsert', 'disable', 'enable', 'delete'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** The only message version this code writes and reads. */
export const MESSAGE_VERSION = 1

/**
 * One change for one target region, as it travels on the source region's
 * replication queue. `changedAt` is the source's time of the change (ms) and
 * decides conflicts (last writer wins per user); `id` is unique per message.
 */
export interface ReplicationMessage {
  v: 1
  kind: MessageKind
  username: string
  /** `upsert` only: the user's attributes as a change carries them (never `sub`), see changeAttributes(). */
  attributes?: Record<string, string>
  sourceRegion: string
  targetRegion: string
  changedAt: number
  id: string
}

/**
 * A message that can never be applied (bad JSON, unknown version or kind,
 * invalid username). The worker fails it on every receive so that SQS moves
 * it to the DLQ after `maxReceiveCount`: it is kept for inspection, never dropped.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError'
}

// Cognito's username constraint: 1–128 characters of [\p{L}\p{M}\p{S}\p{N}\p{P}], no whitespace.
const USERNAME_RE = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/
const MAX_ATTRIBUTES = 60

/** True when Cognito could accept `username` (and it is not an email: pools use email as an alias). */
export function isValidUsername(username: unknown): username is string {
  return typeof username === 'string' && USERNAME_RE.test(username) && !/^[^@]+@[^@]+$/.test(username)
}

/**
 * Builds a message with a fresh id.
 *
 * @example
 * createMessage({ kind: 'delete', username: 'u_…', sourceRegion: 'eu-west-1', targetRegion: 'us-east-1', changedAt: Date.now() })
 */
export function createMessage(fields: Omit<ReplicationMessage, 'v' | 'id'> & { id?: string }): ReplicationMessage {
  const message: ReplicationMessage = {
    v: MESSAGE_VERSION,
    kind: fields.kind,
    username: fields.username,
    sourceRegion: fields.sourceRegion,
    targetRegion: fields.targetRegion,
    changedAt: fields.changedAt,
    id: fields.id ?? randomUUID(),
  }
  if (fields.kind === 'upsert') message.attributes = { ...(fields.attributes ?? {}) }
  // Validate what we write with the same rules as what we read: a bad message fails at the source.
  return parseMessage(JSON.stringify(message))
}

function fail(detail: string): never {
  throw new PoisonMessageError(detail)
}

/**
 * Parses and validates a queue message body. Throws {@link PoisonMessageError}
 * naming the first problem; never returns a half-valid message.
 */
export function parseMessage(body: string): ReplicationMessage {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    fail('body is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('body is not a JSON object')
  const m = value as Record<string, unknown>
  if (m.v !== MESSAGE_VERSION) fail(`unknown message version ${JSON.stringify(m.v)}`)
  if (typeof m.kind !== 'string' || !(MESSAGE_KINDS as readonly string[]).includes(m.kind)) {
    fail(`unknown kind ${JSON.stringify(m.kind)}`)
  }
  if (!isValidUsername(m.username)) fail('invalid username')
  for (const field of ['sourceRegion', 'targetRegion'] as const) {
    if (typeof m[field] !== 'string' || !REGION_RE.test(m[field] as string)) fail(`invalid ${field}`)
  }
  if (typeof m.changedAt !== 'number' || !Number.isSafeInteger(m.changedAt) || m.changedAt <= 0) {
    fail('changedAt must be a positive integer (ms)')
  }
  if (typeof m.id !== 'string' || m.id === '' || m.id.length > 128) fail('invalid id')
  const message: ReplicationMessage = {
    v: MESSAGE_VERSION,
    kind: m.kind as MessageKind,
    username: m.username,
    sourceRegion: m.sourceRegion as string,
    targetRegion: m.targetRegion as string,
    changedAt: m.changedAt,
    id: m.id,
  }
  if (m.kind === 'upsert') message.attributes = parseAttributes(m.attributes)
  else if (m.attributes !== undefined) fail(`${m.kind} carries no attributes`)
  return message
}

function parseAttributes(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('upsert needs an attributes object')
  const entries = Object.entries(value)
  if (entries.length > MAX_ATTRIBUTES) fail('too many attributes')
  const out: Record<string, string> = {}
  for (const [name, v] of entries) {
    if (typeof v !== 'string') fail(`attribute ${name} is not a string`)
    if (name === 'sub' || name.startsWith('cognito:')) fail(`attribute ${name} cannot be replicated`)
    if (!/^(custom:)?[\w-]{1,32}$/.test(name)) fail('invalid attribute name')
    out[name] = v
  }
  return out
}
