import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator } from '../src/index.js'
import { renderInboxPage } from '../src/server/inbox-page.js'
import { freshEmail, signInWithCode, signUp } from './helpers/protocol.js'

describe('control server', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      config: { regions: [{ region: 'eu-west-1', apiUrl: 'http://127.0.0.1:4001' }, 'us-east-1'] },
    })
  })
  afterAll(() => emulator?.close())

  const get = async (path: string) => {
    const res = await fetch(`${emulator.controlUrl}${path}`)
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
  }

  it('GET /_regionless/config is a client configuration', async () => {
    const config = JSON.parse((await get('/_regionless/config')).text)
    expect(config).toEqual(emulator.config)
    expect(config.regions[0]).toEqual({
      region: 'eu-west-1',
      userPoolId: expect.stringMatching(/^eu-west-1_[0-9A-Za-z]{9}$/),
      clientId: expect.stringMatching(/^[0-9a-z]{26}$/),
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${config.regions[0].userPoolId}`,
      jwksUri: `${config.regions[0].endpoint}/${config.regions[0].userPoolId}/.well-known/jwks.json`,
      apiUrl: 'http://127.0.0.1:4001',
    })
    expect(config.regions[1].apiUrl).toBeUndefined()
  })

  it('GET /_regionless/users and /_regionless/inbox (newest first), and the /inbox page', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('control')
    await signUp(region, email)
    await signInWithCode(emulator, region, email)
    const users = JSON.parse((await get(`/_regionless/users?region=${region.region}`)).text)
    expect(users).toContainEqual(
      expect.objectContaining({ attributes: expect.objectContaining({ email }), status: 'CONFIRMED', enabled: true }),
    )
    expect((await get('/_regionless/users?region=mars-1')).status).toBe(400)
    const mails = JSON.parse((await get('/_regionless/inbox')).text)
    expect(mails[0]).toMatchObject({ region: region.region, to: email, kind: 'code', sentAt: expect.any(String) })
    expect(mails[0].id).toEqual(expect.any(String))
    const filtered = JSON.parse((await get(`/_regionless/inbox?to=${encodeURIComponent(email.toUpperCase())}`)).text)
    expect(filtered.map((m: { to: string }) => m.to)).toEqual([email])
    expect(JSON.parse((await get('/_regionless/inbox?to=nobody@example.com')).text)).toEqual([])
    const page = await get('/inbox')
    expect(page.type).toBe('text/html; charset=utf-8')
    expect(page.text).toContain(email)
    expect(page.text).toContain(mails[0].code)
  })

  it('GET /_regionless/inbox?wait= holds the answer until a matching email is sent', async () => {
    const region = emulator.config.regions[0]!
    const email = freshEmail('wait')
    await signUp(region, email)
    const since = Date.now()
    const waiting = get(`/_regionless/inbox?to=${encodeURIComponent(email)}&since=${since}&wait=20000`)
    // The request is made before any email to this address exists.
    const tokens = await signInWithCode(emulator, region, email)
    const mails = JSON.parse((await waiting).text)
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ to: email, kind: 'code', code: expect.stringMatching(/^\d{6,}$/) })
    expect(tokens.IdToken).toEqual(expect.any(String))
    // Nothing newer arrives: the wait ends empty at its time-out.
    const later = JSON.parse(
      (await get(`/_regionless/inbox?to=${encodeURIComponent(email)}&since=${Date.now() + 1}&wait=50`)).text,
    )
    expect(later).toEqual([])
  })

  it('DELETE /_regionless/inbox empties it; setFault validates like the endpoint', async () => {
    const res = await fetch(`${emulator.controlUrl}/_regionless/inbox`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(JSON.parse((await get('/_regionless/inbox')).text)).toEqual([])
    expect(emulator.inbox()).toEqual([])
    await expect(emulator.setFault({ region: 'mars-1', mode: 'down' })).rejects.toThrow(/region must be one of/)
    expect(
      JSON.parse((await get('/_regionless/faults')).text).every((f: { mode: string }) => f.mode === 'healthy'),
    ).toBe(true)
  })

  it('answers CORS preflights on region and control servers, echoing the origin', async () => {
    const region = emulator.config.regions[0]!
    for (const url of [region.endpoint, `${emulator.controlUrl}/_regionless/config`]) {
      const res = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
        },
      })
      expect(res.status).toBe(204)
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      const allowed = res.headers.get('access-control-allow-headers') ?? ''
      for (const header of [
        'x-amz-target',
        'x-amz-user-agent',
        'amz-sdk-invocation-id',
        'amz-sdk-request',
        'authorization',
      ])
        expect(allowed).toContain(header)
    }
  })
})

describe('inbox page', () => {
  it('escapes everything and links only to http(s)', () => {
    const html = renderInboxPage([
      {
        id: '1',
        region: 'eu-west-1',
        to: '<img src=x onerror=alert(1)>@example.com',
        subject: '<script>alert(1)</script>',
        text: '"quoted" & <b>',
        html: '<b>ignored</b>',
        kind: 'link',
        link: 'javascript:alert(1)',
        sentAt: '2026-01-01T00:00:00.000Z',
      },
      {
        id: '2',
        region: 'us-east-1',
        to: 'a@example.com',
        subject: 'ok',
        text: 't',
        html: 'h',
        kind: 'link',
        link: 'http://localhost:5173/#regionless-link=a"b',
        sentAt: '2026-01-01T00:00:00.000Z',
      },
    ])
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&#60;script&#62;')
    expect(html).not.toContain('href="javascript:')
    expect(html).toContain('href="http://localhost:5173/#regionless-link=a%22b"')
  })
})
