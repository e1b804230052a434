import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseOrigin } from '../src/config/allowed-origins.js'
import { ConfigError, resolveConfig } from '../src/config/emulator-config.js'
import { type RunningEmulator, startEmulator } from '../src/index.js'
import { isLoopbackHost } from '../src/server/local-access.js'
import { freshEmail, signUp, startSignIn } from './helpers/protocol.js'

// A web page the developer visits (or one that rebinds its DNS name to 127.0.0.1) must not read the
// inbox's live codes, change faults or call the region endpoints: only the configured app origins
// and loopback Host names are answered.

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request with the Host and Origin a browser would send (fetch cannot set Host). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const EVIL = 'https://evil.example'
const APP = 'http://localhost:5173'

describe('who may call the emulator', () => {
  let emulator: RunningEmulator
  let email: string
  beforeAll(async () => {
    emulator = await startEmulator({ regions: ['eu-west-1'] })
    email = freshEmail()
    // A sign-in sends a live code: the inbox holds something worth stealing.
    await signUp(emulator.config.regions[0]!, email)
    await startSignIn(emulator.config.regions[0]!, email, { method: 'code' })
  })
  afterAll(() => emulator?.close())

  const inbox = () => `${emulator.controlUrl}/_regionless/inbox`
  const port = (url: string) => new URL(url).port
  const region = () => emulator.config.regions[0]!

  it('a foreign Origin gets 403 and no CORS header, and cannot read the inbox', async () => {
    const read = await send(inbox(), { headers: { origin: EVIL } })
    expect(read.status).toBe(403)
    expect(read.headers['access-control-allow-origin']).toBeUndefined()
    expect(read.body).not.toContain(email)
    const preflight = await send(inbox(), {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'DELETE' },
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    expect(emulator.inbox().length).toBeGreaterThan(0)
  })

  it('a foreign Origin cannot flip a fault with a simple (un-preflighted) POST', async () => {
    const flip = await send(`${emulator.controlUrl}/_regionless/faults`, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'text/plain' },
      body: JSON.stringify({ region: 'eu-west-1', mode: 'down' }),
    })
    expect(flip.status).toBe(403)
    const faults = (await (await fetch(`${emulator.controlUrl}/_regionless/faults`)).json()) as { mode: string }[]
    expect(faults).toEqual([{ region: 'eu-west-1', mode: 'healthy' }])
  })

  it('a foreign Origin gets no CORS answer from a region endpoint either', async () => {
    const call = await send(region().endpoint, {
      method: 'POST',
      headers: {
        origin: EVIL,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ListUsers',
      },
      body: JSON.stringify({ UserPoolId: region().userPoolId }),
    })
    expect(call.status).toBe(403)
    expect(call.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('a rebinding Host (evil.example:PORT) gets 403 on the control and region servers', async () => {
    for (const url of [inbox(), `${region().endpoint}/${region().userPoolId}/.well-known/jwks.json`]) {
      const rebound = await send(url, { headers: { host: `evil.example:${port(url)}` } })
      expect(rebound.status).toBe(403)
      expect(rebound.body).not.toContain(email)
      expect(JSON.parse(rebound.body)).toMatchObject({ error: 'foreign-host' })
    }
    // A loopback name on another port is not this server either.
    expect((await send(inbox(), { headers: { host: '127.0.0.1:1' } })).status).toBe(403)
  })

  it('loopback Host names on the right port are answered', async () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      const ok = await send(inbox(), { headers: { host: `${host}:${port(inbox())}` } })
      expect(ok.status).toBe(200)
    }
  })

  it('the allowed (demo) origin reads the inbox, with its origin echoed', async () => {
    const read = await send(`${inbox()}?to=${encodeURIComponent(email)}`, { headers: { origin: APP } })
    expect(read.status).toBe(200)
    expect(read.headers['access-control-allow-origin']).toBe(APP)
    expect(read.body).toContain(email)
  })

  it('an origin allowed after start (an app on a random port) is answered from then on', async () => {
    const late = 'http://127.0.0.1:45678'
    expect((await send(inbox(), { headers: { origin: late } })).status).toBe(403)
    emulator.allowOrigin(late)
    const read = await send(inbox(), { headers: { origin: late } })
    expect(read.status).toBe(200)
    expect(read.headers['access-control-allow-origin']).toBe(late)
    expect(() => emulator.allowOrigin('localhost:3000')).toThrow(TypeError)
  })

  it("the inbox page's own origin is allowed (same-origin POSTs carry it)", async () => {
    const own = new URL(emulator.controlUrl).origin
    expect((await send(inbox(), { headers: { origin: own } })).status).toBe(200)
  })
})

describe('allowedOrigins', () => {
  it('replaces the demo origins when configured', async () => {
    const emulator = await startEmulator({ regions: ['eu-west-1'], allowedOrigins: ['http://localhost:3000/'] })
    try {
      const url = `${emulator.controlUrl}/_regionless/config`
      expect((await send(url, { headers: { origin: 'http://localhost:3000' } })).status).toBe(200)
      expect((await send(url, { headers: { origin: APP } })).status).toBe(403)
    } finally {
      await emulator.close()
    }
  })

  it('is checked at start, naming the field', () => {
    expect(resolveConfig({}).allowedOrigins).toEqual(['http://127.0.0.1:5173', 'http://localhost:5173'])
    for (const bad of [['localhost:3000'], ['http://localhost:3000/app'], ['ftp://x.example'], 'http://a.example']) {
      expect(() => resolveConfig({ allowedOrigins: bad as string[] })).toThrow(ConfigError)
      expect(() => resolveConfig({ allowedOrigins: bad as string[] })).toThrow(/^allowedOrigins: /)
    }
  })
})

describe('origin and host parsing', () => {
  it('parses origins as browsers send them', () => {
    expect(parseOrigin('http://LOCALHOST:5173/')).toBe('http://localhost:5173')
    expect(parseOrigin('https://app.example')).toBe('https://app.example')
    for (const bad of ['null', 'http://a.example/path', 'http://user@a.example', 'http://a.example?x', 'file:///x']) {
      expect(parseOrigin(bad)).toBeUndefined()
    }
  })

  it('accepts only loopback names on the given port, and nothing that could smuggle another host', () => {
    expect(isLoopbackHost('127.0.0.1:9229', 9229)).toBe(true)
    expect(isLoopbackHost('[::1]:9229', 9229)).toBe(true)
    expect(isLoopbackHost('localhost', 80)).toBe(true)
    for (const bad of [
      'localhost:9230',
      'evil.example:9229',
      'evil@127.0.0.1:9229',
      '127.0.0.1.evil.example:9229',
      '',
    ]) {
      expect(isLoopbackHost(bad, 9229)).toBe(false)
    }
    expect(isLoopbackHost(undefined, 9229)).toBe(false)
  })
})
