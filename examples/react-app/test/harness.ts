import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '@regionless/emulator'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { accountDeletionFromEmulator } from '../../api/src/account-deletion.js'
import { loadPoolsFromEmulator, startExampleApi } from '../../api/src/server.js'
import { demoViteConfig } from '../vite.config.js'

export const REGIONS = ['eu-west-1', 'us-east-1'] as const
export type Region = (typeof REGIONS)[number]

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

export const SCREENSHOTS = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url))

export interface Demo {
  appUrl: string
  controlUrl: string
  browser: Browser
  newPage(context?: BrowserContext): Promise<Page>
  setFault(region: Region, mode: string): Promise<void>
  /** Waits for the newest email to `to` sent after `since` and returns it. */
  waitForEmail(
    to: string,
    since: number,
    kind: 'code' | 'link',
  ): Promise<{ code?: string; link?: string; region: string }>
  screenshot(page: Page, name: string): Promise<void>
  /** Opens the app, asks for a code for `email` and returns its email, with the time just before the ask. */
  requestCode(page: Page, email: string): Promise<{ mail: { code?: string; region: string }; since: number }>
  /** Signs `email` in on `page` by code, the way a person does, and waits for the signed-in view. */
  signIn(page: Page, email: string): Promise<void>
  close(): Promise<void>
}

/** The whole demo in-process on random ports: emulator, two APIs, the app on Vite, Chromium. */
export async function startDemo(): Promise<Demo> {
  const emulator = await startEmulator({
    port: 0,
    regions: [...REGIONS],
    topology: 'pools',
    replication: true,
    log: () => {},
  })
  const pools = await loadPoolsFromEmulator(emulator.controlUrl)
  const apis = await Promise.all(
    REGIONS.map(async (region) => {
      const deleteAccount = await accountDeletionFromEmulator(emulator.controlUrl, region)
      return startExampleApi({ region, pools, allowedOrigins: ['*'], ...(deleteAccount && { deleteAccount }) })
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
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  mkdirSync(SCREENSHOTS, { recursive: true })

  const control = (path: string, init?: RequestInit) => fetch(new URL(path, emulator.controlUrl), init)
  const demo: Demo = {
    appUrl,
    controlUrl: emulator.controlUrl,
    browser,
    async newPage(context) {
      const ctx = context ?? (await browser.newContext())
      const page = await ctx.newPage()
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
      return page
    },
    async setFault(region, mode) {
      const res = await control('/_regionless/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ region, mode }),
      })
      if (!res.ok) throw new Error(`fault ${region} ${mode}: ${res.status} ${await res.text()}`)
    },
    async waitForEmail(to, since, kind) {
      // The inbox holds the answer (?wait=) until an email to `to` sent after `since` exists.
      const query = new URLSearchParams({ to, since: String(since), wait: '15000' })
      const inbox = (await (await control(`/_regionless/inbox?${query}`)).json()) as Array<{
        code?: string
        link?: string
        region: string
      }>
      const hit = inbox.find((m) => (kind === 'code' ? m.code : m.link))
      if (!hit) throw new Error(`no ${kind} email to ${to} within 15 s`)
      return hit
    },
    async requestCode(page, email) {
      await page.goto(appUrl)
      await page.getByLabel('Email').fill(email)
      const since = Date.now()
      await page.getByRole('button', { name: 'Email me a code' }).click()
      return { mail: await demo.waitForEmail(email, since, 'code'), since }
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
