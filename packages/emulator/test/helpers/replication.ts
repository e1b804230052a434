import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { usernameForEmail } from '@regionless/backend'
import { createAccountDeletion } from '@regionless/backend/replication'
import type { EmulatorRegion, FaultMode, RunningEmulator } from '../../src/index.js'
import { startEmulator } from '../../src/index.js'

/** A small seeded PRNG (mulberry32): a failing run can be replayed from its seed. */
export function seeded(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T }
}

/** An emulator with replication on and short time-outs, so faults resolve within a test. */
export function startReplicated(regions: string[], log?: (line: string) => void) {
  return startEmulator({
    ...(log && { log }),
    regions,
    topology: 'pools',
    replication: {
      directTimeoutMs: 300,
      directBudgetMs: 600,
      workerTimeoutMs: 500,
      throttleBackoff: { baseSeconds: 1, maxSeconds: 2 },
      transientBackoff: { baseSeconds: 1, maxSeconds: 2 },
    },
    config: { queues: { maxReceiveCount: 20, visibilityTimeoutSeconds: 2 } },
  })
}

const OPERATOR_CREDENTIALS = { accessKeyId: 'AKIDOPERATOR', secretAccessKey: 'operator' }

/** The test's own admin client for a region (not replication's: its calls must replicate). */
export function adminClient(region: EmulatorRegion) {
  return new CognitoIdentityProviderClient({
    region: region.region,
    endpoint: region.endpoint,
    credentials: OPERATOR_CREDENTIALS,
    maxAttempts: 1,
  })
}

/** SignUp as the Regionless client sends it, bounded by a time-out (a blackholed region never answers). */
export async function signUpOnce(region: EmulatorRegion, email: string): Promise<'ok' | 'exists' | 'failed'> {
  try {
    const res = await fetch(region.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
      },
      body: JSON.stringify({
        ClientId: region.clientId,
        Username: usernameForEmail(email),
        Password: `Aa1!${crypto.randomUUID()}`,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
      signal: AbortSignal.timeout(1_500),
    })
    if (res.ok) return 'ok'
    const body = (await res.json()) as { __type?: string }
    return body.__type === 'UsernameExistsException' ? 'exists' : 'failed'
  } catch {
    return 'failed'
  }
}

export type AdminAction =
  | { kind: 'update'; attributes: Record<string, string> }
  | { kind: 'disable' }
  | { kind: 'delete' }

/**
 * Account deletion as an API would run it in `region` (`createAccountDeletion`): every pool through the
 * test's admin clients, the region's queue for pools that do not answer, the emulator's tombstones.
 */
export function accountDeletion(emulator: RunningEmulator, region: string) {
  const queue = emulator.queues.regions.find((q) => q.region === region)
  if (!queue || !emulator.replication) throw new Error('account deletion needs replication on')
  const pools = emulator.config.regions.map((r) => ({
    region: r.region,
    userPoolId: r.userPoolId,
    client: adminClient(r),
  }))
  const sqs = new SQSClient({ region, endpoint: emulator.queues.endpoint, credentials: OPERATOR_CREDENTIALS })
  const deleteAccount = createAccountDeletion({
    region,
    pools,
    queue: { client: sqs, queueUrl: queue.queueUrl },
    tombstones: emulator.replication.tombstones,
    timeoutMs: 1_500,
    log: () => {},
  })
  return async (username: string) => {
    try {
      return await deleteAccount(username)
    } finally {
      for (const pool of pools) pool.client.destroy()
      sqs.destroy()
    }
  }
}

/** One admin call in one region; false when the region is faulted or the user is not there yet. */
export async function adminOnce(region: EmulatorRegion, username: string, action: AdminAction): Promise<true | string> {
  const client = adminClient(region)
  const input = { UserPoolId: region.userPoolId, Username: username }
  const command =
    action.kind === 'update'
      ? new AdminUpdateUserAttributesCommand({
          ...input,
          UserAttributes: Object.entries(action.attributes).map(([Name, Value]) => ({ Name, Value })),
        })
      : action.kind === 'disable'
        ? new AdminDisableUserCommand(input)
        : new AdminDeleteUserCommand(input)
  try {
    await client.send(command as never, { abortSignal: AbortSignal.timeout(1_500) })
    return true
  } catch (err) {
    return `${action.kind} in ${region.region}: ${(err as Error).name}`
  } finally {
    client.destroy()
  }
}

/** Whether a region holds the user (AdminGetUser, which replicates nothing); a string when it cannot tell. */
export async function userIn(region: EmulatorRegion, username: string): Promise<boolean | string> {
  const client = adminClient(region)
  try {
    await client.send(new AdminGetUserCommand({ UserPoolId: region.userPoolId, Username: username }), {
      abortSignal: AbortSignal.timeout(1_500),
    })
    return true
  } catch (err) {
    return (err as Error).name === 'UserNotFoundException' ? false : `get in ${region.region}: ${(err as Error).name}`
  } finally {
    client.destroy()
  }
}

/** Faults flapping at random on random regions until stopped. */
export function startChaos(emulator: RunningEmulator, random: ReturnType<typeof seeded>) {
  const regions = emulator.config.regions.map((r) => r.region)
  const modes: FaultMode[] = ['down', 'blackhole', 'error', 'throttle']
  const seen = new Set<FaultMode>()
  let running = true
  const loop = (async () => {
    // Every mode once first (in a random order), then at random.
    const first = [...modes].sort(() => random.next() - 0.5)
    while (running) {
      const region = random.pick(regions)
      const mode = first.shift() ?? random.pick(modes)
      seen.add(mode)
      await emulator.setFault({ region, mode, ...(random.next() < 0.4 && { rate: 0.5 }) })
      await sleep(150 + random.next() * 350)
      await emulator.setFault({ region, mode: 'healthy' })
      await sleep(random.next() * 200)
    }
  })()
  return {
    seen,
    async stop() {
      running = false
      await loop
      for (const region of regions) await emulator.setFault({ region, mode: 'healthy' })
    },
  }
}

/** Poison the test injects on purpose: each must end in its region's DLQ. */
export async function injectPoison(emulator: RunningEmulator, region: string, body: string) {
  const q = emulator.queues.regions.find((r) => r.region === region)
  if (!q) throw new Error(`no queue for ${region}`)
  const sqs = new SQSClient({
    region,
    endpoint: emulator.queues.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: q.queueUrl, MessageBody: body }))
  } finally {
    sqs.destroy()
  }
}

interface QueueDepth {
  region: string
  queue: { total: number }
  dlq: { total: number; visible: number }
  lifecycleFailures: { total: number; visible: number }
}

/** Once replication has nothing left to do (`replication.drained()`): each region's queue and DLQ depths. */
export async function drained(emulator: RunningEmulator): Promise<QueueDepth[]> {
  if (!emulator.replication) throw new Error('replication is off: nothing drains the queues')
  await emulator.replication.drained()
  return (await (await fetch(`${emulator.controlUrl}/_regionless/queues`)).json()) as QueueDepth[]
}

export interface PoolUser {
  username: string
  attributes: Record<string, string>
  enabled: boolean
  status: string
}

/** A region's users as `GET /_regionless/users` lists them, without the per-pool `sub`. */
export async function poolUsers(emulator: RunningEmulator, region: string): Promise<Map<string, PoolUser>> {
  const res = await fetch(`${emulator.controlUrl}/_regionless/users?region=${region}`)
  const list = (await res.json()) as (PoolUser & { sub: string })[]
  return new Map(
    list.map((u) => {
      const { sub: _sub, ...rest } = u.attributes
      const attributes = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))
      return [u.username, { username: u.username, attributes, enabled: u.enabled, status: u.status }]
    }),
  )
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
