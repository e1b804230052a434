// What a user waits for, timed step by step: each journey starts from a fresh
// client (a page load with nothing remembered) and makes exactly the calls the
// drop-in component makes on a click.

import type { Mail } from '../../examples/react-app/test/helpers/emulator-data.js'
import {
  type AuthClient,
  type AuthState,
  createApi,
  createAuthClient,
  type StorageAdapter,
} from '../../packages/client/src/index.js'
import { pageFetch } from './page-fetch.js'
import type { World } from './world.js'

export const OPS = [
  'code click, existing user',
  'code click, new user',
  'answer(code), existing user',
  'answer(code), new user',
  'link click (request)',
  'link redeem (other device)',
  'API call (createApi)',
  'token refresh (API call, expired)',
  'signOut()',
] as const
export type Op = (typeof OPS)[number]

/** Click rows: what the aim of ≤ 1.5 s from click to the next screen applies to. */
export const CLICKS: readonly Op[] = ['code click, existing user', 'code click, new user', 'link click (request)']

/** One journey's outcome: durations, failures, and the address whose emails are counted per click. */
export interface Sample {
  times: Partial<Record<Op, number>>
  failures: Partial<Record<Op, string>>
  /** Click → the email in the inbox. */
  mailMs?: number
  /** Click → the "sign-up unavailable" notice in the state. */
  noticeMs?: number
  /** Failovers mid sign-in: each sent one more email, announced to the user. */
  moved: number
  /** The one click of this journey: its row, the address, when it was made. */
  click: { op: Op; to: string; at: number; signUpUnavailable: boolean }
}

const STEP_CAP_MS = 20_000
const MAIL_WAIT_MS = 12_000
const READING_MS = 2_000

// A step that never settles must not stall the bench: it fails after STEP_CAP_MS.
async function step<T>(sample: Sample, op: Op, run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${STEP_CAP_MS} ms`)), STEP_CAP_MS)
  })
  try {
    const value = await Promise.race([run(), cap])
    sample.times[op] = performance.now() - started
    return value
  } catch (err) {
    sample.failures[op] = (err as { code?: string }).code ?? (err as Error).message
    throw err
  } finally {
    clearTimeout(timer)
  }
}

export interface Fresh {
  /** Health an earlier page left in storage (the "breaker open" cell), copied into each new client's storage. */
  remembered?: Map<string, string>
  /** Added to the client's clock: moves tokens past their expiry without waiting an hour. */
  skew?: { ms: number }
}

export function mapStorage(items = new Map<string, string>()): StorageAdapter & { items: Map<string, string> } {
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  }
}

export function freshClient(world: World, fresh: Fresh = {}): AuthClient {
  const skew = fresh.skew
  return createAuthClient({
    ...world.config,
    fetch: pageFetch(),
    storage: mapStorage(new Map(fresh.remembered)),
    ...(skew && { now: () => Date.now() + skew.ms }),
  })
}

// Resolves once the client's state satisfies `holds` (at once if it already does); `signal` stops watching.
function stateReaches(client: AuthClient, holds: (state: AuthState) => boolean, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!holds(client.getSnapshot())) return
      off()
      resolve()
    }
    const off = client.subscribe(check)
    signal.addEventListener('abort', off)
    check()
  })
}

// A click on "Email me a code/link": one call, timed; then, off the clock, the email it sent
// or the "sign-up is unavailable" notice (a new user in replicas while the primary is out).
async function click(world: World, client: AuthClient, sample: Sample, method: 'code' | 'link') {
  const { op, to: email } = sample.click
  await client.ready()
  sample.click.at = Date.now()
  await step(sample, op, () => client.signIn({ email, method, createAccount: true }))
  const stop = new AbortController()
  const notice = stateReaches(client, (state) => state.challenge?.signUpUnavailable === true, stop.signal).then(() => {
    sample.click.signUpUnavailable = true
    sample.noticeMs = Date.now() - sample.click.at
    return null
  })
  // The notice is shown to everyone alike; only a new user gets no email with it.
  const waits = [world.waitForMail(email, sample.click.at, MAIL_WAIT_MS, stop.signal)]
  if (op === 'code click, new user') waits.push(notice)
  const mail = await Promise.race(waits)
  stop.abort()
  if (mail) sample.mailMs = Date.parse(mail.sentAt) - sample.click.at
  return mail
}

// Types the code once the screen shows the challenge the email belongs to (a person reading the
// email takes longer than the client takes to learn of it); after a failover mid sign-in
// (CHALLENGE_MOVED: a new code came from another region, and the UI says so) types the new one,
// as a person would. The row times the answer that signs in.
async function answer(world: World, client: AuthClient, sample: Sample, op: Op, mail: Mail) {
  for (let moves = 0; ; moves++) {
    const reading = AbortSignal.timeout(READING_MS)
    await Promise.race([
      stateReaches(client, (state) => state.challenge?.region === mail.region, reading),
      new Promise((resolve) => reading.addEventListener('abort', resolve)),
    ])
    const typedAt = Date.now()
    try {
      return await step(sample, op, () => client.answer(mail.code!))
    } catch (err) {
      if ((err as { code?: string }).code !== 'CHALLENGE_MOVED' || moves === 2) throw err
      sample.moved++
      delete sample.failures[op]
      const next = await world.waitForMail(sample.click.to, typedAt, MAIL_WAIT_MS)
      if (!next?.code) throw new Error('no new code after CHALLENGE_MOVED')
      mail = next
    }
  }
}

const blank = (op: Op, to: string): Sample => ({
  times: {},
  failures: {},
  moved: 0,
  click: { op, to, at: 0, signUpUnavailable: false },
})

// Runs one journey on its clients and destroys them after. A failure outside a timed step
// (no email came) is put on `blocked`, the row that could then not run.
async function journey(
  op: Op,
  email: string,
  blocked: Op,
  clients: AuthClient[],
  run: (sample: Sample) => Promise<unknown>,
): Promise<Sample> {
  const sample = blank(op, email)
  try {
    await run(sample)
  } catch (err) {
    if (!Object.keys(sample.failures).length) sample.failures[blocked] = (err as Error).message
  } finally {
    for (const client of clients) client.destroy()
  }
  return sample
}

function needs<K extends 'code' | 'link'>(mail: Mail | null, kind: K): Mail & Required<Pick<Mail, K>> {
  if (!mail?.[kind]) throw new Error(`no ${kind} email within ${MAIL_WAIT_MS} ms`)
  return mail as Mail & Required<Pick<Mail, K>>
}

/** Code sign-in of an existing user, then what a signed-in page does: an API call, a refresh, sign-out. */
export function existingUserJourney(world: World, email: string, fresh: Fresh, full: boolean): Promise<Sample> {
  const skew = { ms: 0 }
  const client = freshClient(world, { ...fresh, skew })
  return journey('code click, existing user', email, 'answer(code), existing user', [client], async (sample) => {
    const mail = await click(world, client, sample, 'code')
    if (!full) return
    const session = await answer(world, client, sample, 'answer(code), existing user', needs(mail, 'code'))
    const api = createApi(client)
    await step(sample, 'API call (createApi)', () => api.get('whoami').json())
    // Just inside the 5 s freshness margin: the next API call refreshes first.
    skew.ms = session.tokens.expiresAt - Date.now() - 1_000
    await step(sample, 'token refresh (API call, expired)', () => api.get('whoami').json())
    skew.ms = 0
    await step(sample, 'signOut()', () => client.signOut())
  })
}

/** Code sign-in of a brand-new user: the click creates the account. */
export function newUserJourney(world: World, email: string, fresh: Fresh, full: boolean): Promise<Sample> {
  const client = freshClient(world, fresh)
  return journey('code click, new user', email, 'answer(code), new user', [client], async (sample) => {
    const mail = await click(world, client, sample, 'code')
    if (!full || sample.click.signUpUnavailable) return
    await answer(world, client, sample, 'answer(code), new user', needs(mail, 'code'))
  })
}

/** Magic link: asked for on one device, redeemed on another (a second fresh client). */
export function linkJourney(world: World, email: string, fresh: Fresh, full: boolean): Promise<Sample> {
  const [asking, opening] = [freshClient(world, fresh), freshClient(world, fresh)]
  return journey('link click (request)', email, 'link redeem (other device)', [asking, opening], async (sample) => {
    const mail = await click(world, asking, sample, 'link')
    if (!full) return
    const { link } = needs(mail, 'link')
    await opening.ready()
    await step(sample, 'link redeem (other device)', () => opening.completeMagicLink(link))
  })
}

/** Home's breaker opened by real calls while home is down; returns the health this leaves in storage. */
export async function openBreaker(world: World, emails: string[]): Promise<Map<string, string>> {
  const storage = mapStorage()
  const client = createAuthClient({ ...world.config, fetch: pageFetch(), storage, bridge: 'off' })
  const isOpen = () => (client.health()[world.home]?.openUntil ?? 0) > Date.now() + 10_000
  for (const email of emails) {
    if (isOpen()) break
    await client.signIn({ email, method: 'code' }).catch(() => {})
  }
  client.destroy()
  if (!isOpen()) throw new Error(`${world.home}'s breaker did not open`)
  return new Map([...storage.items].filter(([key]) => key.endsWith('.health')))
}
