import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '@regionless/emulator'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { accountDeletionFromEmulator } from '../../../api/src/account-deletion.js'
import { passkeysFromEmulator } from '../../../api/src/passkeys.js'
import { loadPoolsFromEmulator, startExampleApi } from '../../../api/src/server.js'
import { demoViteConfig } from '../../vite.config.js'
import { createUsersEverywhere, type Mail, replicatedIn } from './emulator-data.js'

export const REGIONS = ['eu-west-1', 'us-east-1'] as const
export type Region = (typeof REGIONS)[number]
/** The app's home region; in the replicas topology also the primary (the emulator's first region). */
export const HOME: Region = 'eu-west-1'
export const PEER: Region = 'us-east-1'

export type Topology = 'pools' | 'replicas'
export type FaultMode = 'healthy' | 'down' | 'blackhole' | 'slow' | 'error' | 'throttle'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// Flags that let Debian's Chromium run as root, headless, on a machine with no outside network.
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const SCREENSHOTS = fileURLToPath(new URL('../../../../test-output/screenshots/', import.meta.url))

export interface Demo {
  appUrl: string
  /** The app as `http://localhost:<port>`: where passkeys work (an RP id is a domain, never an IP address). */
  localAppUrl: string
  controlUrl: string
  topology: Topology
  browser: Browser
  newPage(context?: BrowserContext): Promise<Page>
  /** `latencyMs` for `slow`; `rate` (0..1) applies the mode to that share of requests (flapping). */
  setFault(region: Region, mode: FaultMode, options?: { latencyMs?: number; rate?: number }): Promise<void>
  /** Emails to `to` sent at or after `since`, newest first; with `waitMs`, held until there is one (or the time is up). */
  inbox(to: string, since: number, waitMs?: number): Promise<Mail[]>
  /** Creates users, replicated to every region, as an earlier sign-up would have. */
  createUsers(emails: string[]): Promise<void>
  /** Waits for the newest email to `to` sent after `since` and returns it. */
  waitForEmail(to: string, since: number, kind: 'code' | 'link'): Promise<Mail>
  screenshot(page: Page, name: string): Promise<void>
  /** Opens the app, types `email` and clicks "Email me a code" (or a link); returns the time just before the click. */
  ask(page: Page, email: string, method?: 'code' | 'link'): Promise<number>
  /** Opens the app, asks for a code for `email` and returns its email, with the time just before the ask. */
  requestCode(page: Page, email: string): Promise<{ mail: { code?: string; region: string }; since: number }>
  /**
   * Types `code` and waits for the signed-in view. If the region failed mid sign-in, the app says a new
   * code came from another region: that one is typed, as a person would. Returns 1 then, else 0.
   */
  enterCode(page: Page, email: string, code: string): Promise<number>
  /** Signs `email` in on `page` by code, the way a person does, and waits for the signed-in view. */
  signIn(page: Page, email: string): Promise<void>
  close(): Promise<void>
}

/**
 * The whole demo in-process on random ports: emulator, two APIs, the app on Vite, Chromium.
 * `topology: 'replicas'`: one pool replicated from the primary (HOME) to PEER, as Cognito does.
 */
export async function startDemo({ topology = 'pools' }: { topology?: Topology } = {}): Promise<Demo> {
  const emulator = await startEmulator({
    port: 0,
    regions: [...REGIONS],
    topology,
    // The backend's replication runs in the pools topology; replicas are copied by the emulator itself.
    ...(topology === 'pools' && { replication: true }),
    log: () => {},
  })
  const pools = await loadPoolsFromEmulator(emulator.controlUrl)
  const apis = await Promise.all(
    REGIONS.map(async (region) => {
      const accountDeletion = await accountDeletionFromEmulator(emulator.controlUrl, region)
      const passkeys = await passkeysFromEmulator(emulator.controlUrl, region)
      return startExampleApi({
        region,
        pools,
        allowedOrigins: ['*'],
        ...(accountDeletion && { accountDeletion }),
        ...(passkeys && { passkeys }),
      })
    }),
  )
  const apiUrls = Object.fromEntries(REGIONS.map((region, i) => [region, apis[i]!.url]))
  const vite: ViteDevServer = await createServer({
    ...demoViteConfig({ controlUrl: emulator.controlUrl, apiUrls, homeRegion: 'eu-west-1' }),
    server: {
      ...demoViteConfig({ controlUrl: emulator.controlUrl, apiUrls }).server,
      port: 0,
      strictPort: false,
      hmr: false,
    },
  })
  await vite.listen()
  const appUrl = vite.resolvedUrls?.local[0]
  if (!appUrl) throw new Error('the Vite server has no local URL')
  // The app calls the region endpoints from its own origin, on a port known only now.
  emulator.allowOrigin(new URL(appUrl).origin)
  // Passkeys need a domain for their RP id (never an IP address): the same app, as localhost.
  const localAppUrl = appUrl.replace('//127.0.0.1:', '//localhost:')
  emulator.allowOrigin(new URL(localAppUrl).origin)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  mkdirSync(SCREENSHOTS, { recursive: true })

  const control = (path: string, init?: RequestInit) => fetch(new URL(path, emulator.controlUrl), init)
  const demo: Demo = {
    appUrl,
    localAppUrl,
    controlUrl: emulator.controlUrl,
    topology,
    browser,
    async newPage(context) {
      const ctx = context ?? (await browser.newContext())
      const page = await ctx.newPage()
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
      return page
    },
    async setFault(region, mode, options = {}) {
      const res = await control('/_regionless/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ region, mode, ...options }),
      })
      if (!res.ok) throw new Error(`fault ${region} ${mode}: ${res.status} ${await res.text()}`)
    },
    async inbox(to, since, waitMs = 0) {
      // The inbox holds the answer (?wait=) until an email to `to` sent after `since` exists.
      const query = new URLSearchParams({ to, since: String(since), wait: String(waitMs) })
      return (await (await control(`/_regionless/inbox?${query}`)).json()) as Mail[]
    },
    async waitForEmail(to, since, kind) {
      const hit = (await demo.inbox(to, since, 15_000)).find((m) => (kind === 'code' ? m.code : m.link))
      if (!hit) throw new Error(`no ${kind} email to ${to} within 15 s`)
      return hit
    },
    createUsers: (emails) => createUsersEverywhere(emulator.controlUrl, emails, replicatedIn(emulator)),
    async ask(page, email, method = 'code') {
      await page.goto(appUrl)
      await page.getByLabel('Email').fill(email)
      const since = Date.now()
      await page.getByRole('button', { name: method === 'code' ? 'Email me a code' : 'Email me a link' }).click()
      return since
    },
    async requestCode(page, email) {
      const since = await demo.ask(page, email)
      return { mail: await demo.waitForEmail(email, since, 'code'), since }
    },
    async enterCode(page, email, code) {
      const signedIn = page.getByText(`Signed in as ${email}`)
      const typedAt = Date.now()
      await page.getByLabel('Verification code').fill(code)
      // A failover moves the sign-in from the failed region to a healthy one: it happens once at most.
      await signedIn
        .or(page.getByText(/new code from another region/))
        .first()
        .waitFor()
      if (await signedIn.isVisible()) return 0
      await page.getByLabel('Verification code').fill((await demo.waitForEmail(email, typedAt, 'code')).code!)
      await signedIn.waitFor()
      return 1
    },
    async signIn(page, email) {
      const { mail } = await demo.requestCode(page, email)
      await page.getByLabel('Verification code').fill(mail.code!)
      await page.getByText(`Signed in as ${email}`).waitFor()
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
    },
    async close() {
      await browser.close()
      await vite.close()
      await Promise.all(apis.map((api) => api.close()))
      await emulator.close()
    },
  }
  return demo
}

/** What the app's account card shows right now, as a person reads it: for failure messages. */
export async function shownOn(page: Page): Promise<string> {
  const card = page.locator('section[aria-label="Account"]')
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, with the line breaks a person sees
  return card.innerText({ timeout: 5_000 }).catch((err) => `(unreadable: ${err})`)
}

/**
 * The demo for one test file: started before its tests, closed after them,
 * every region healed after each test (a failed test leaves no fault behind).
 * What it returns stands for the demo once `beforeAll` has started it.
 */
export function setupDemo(options: { topology?: Topology } = {}): Demo {
  let demo: Demo | undefined
  // The emulator, two APIs, Vite and Chromium: 3–4 s on an idle machine.
  beforeAll(async () => {
    demo = await startDemo(options)
  }, 60_000)
  afterAll(async () => demo?.close())
  afterEach(async () => {
    for (const region of REGIONS) await demo?.setFault(region, 'healthy')
  })
  return new Proxy({} as Demo, {
    get(_, key) {
      if (!demo) throw new Error('the demo is used before beforeAll started it')
      return demo[key as keyof Demo]
    },
  })
}
