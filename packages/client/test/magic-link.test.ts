import { afterEach, describe, expect, it, vi } from 'vitest'
import { readLinkToken } from '../src/index.js'
import { withoutLinkToken } from '../src/magic-link.js'
import { fakeJwt } from './helpers/fake-cognito.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()
const REDIRECT = 'http://localhost:5173/welcome'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('magic link', () => {
  it('reads and strips the token from the fragment only', () => {
    expect(readLinkToken('http://x/a?regionless-link=q#regionless-link=abc.def.ghi')).toBe('abc.def.ghi')
    expect(readLinkToken('http://x/a?regionless-link=q')).toBeNull()
    expect(withoutLinkToken('http://x/a?b=1#regionless-link=t&tab=2')).toBe('http://x/a?b=1#tab=2')
    expect(withoutLinkToken('http://x/a#regionless-link=t')).toBe('http://x/a')
  })

  it('sends a link to the allow-listed redirect and signs in from it', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const linkSent = vi.fn()
    client.on('linkSent', linkSent)
    const challenge = await client.signIn({ email: EMAIL, method: 'link', redirectUri: REDIRECT })
    expect(challenge.method).toBe('link')
    expect(client.getSnapshot().status).toBe('awaiting-link')
    expect(linkSent).toHaveBeenCalledOnce()
    expect(cognito.ops('RespondToAuthChallenge')[0]?.body.ClientMetadata).toEqual({
      method: 'link',
      redirectUri: REDIRECT,
    })
    const link = cognito.inbox[0]!.link!
    expect(link.startsWith(`${REDIRECT}#regionless-link=`)).toBe(true)

    const session = await client.completeMagicLink(link)
    expect(session).toMatchObject({ userId: USERNAME, email: EMAIL })
    // Redeeming starts afresh with the token's sub and does not send another link.
    const redeem = cognito.ops('RespondToAuthChallenge').at(-2)
    expect(redeem?.body.ClientMetadata).toEqual({ method: 'link', redeem: 'true' })
    expect(cognito.ops('InitiateAuth').at(-1)?.body.AuthParameters.USERNAME).toBe(USERNAME)
    expect(cognito.inbox).toHaveLength(1)
  })

  it('redeems a link from region A in region B, on another device', async () => {
    const { client, cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'link', redirectUri: REDIRECT })
    expect(cognito.inbox[0]?.region).toBe('eu-west-1')
    cognito.setFault('eu-west-1', 'down')
    const otherDevice = make({ storageKey: 'other-device' })
    const session = await otherDevice.completeMagicLink(cognito.inbox[0]!.link!)
    expect(session?.region).toBe('us-east-1')
  })

  it('rejects a used link with LINK_INVALID, and resolves null without a link', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await client.signIn({ email: EMAIL, method: 'link', redirectUri: REDIRECT })
    const link = cognito.inbox[0]!.link!
    await client.completeMagicLink(link)
    await expect(client.completeMagicLink(link)).rejects.toMatchObject({ code: 'LINK_INVALID' })
    expect(await client.completeMagicLink('http://localhost/page#other=1')).toBeNull()
    await expect(client.completeMagicLink('http://localhost/#regionless-link=garbage')).rejects.toMatchObject({
      code: 'LINK_INVALID',
    })
  })

  it('maps a refused redirect to INVALID_REDIRECT', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await expect(
      client.signIn({ email: EMAIL, method: 'link', redirectUri: 'https://evil.test/' }),
    ).rejects.toMatchObject({
      code: 'INVALID_REDIRECT',
    })
    expect(cognito.inbox).toHaveLength(0)
  })

  it('reads the current location and cleans it with history.replaceState', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const token = fakeJwt({ sub: USERNAME, jti: 'browser-1' })
    const href = `http://localhost:5173/welcome?x=1#regionless-link=${token}`
    const replaceState = vi.fn()
    vi.stubGlobal('location', { href, origin: 'http://localhost:5173', pathname: '/welcome' })
    vi.stubGlobal('history', { state: { keep: true }, replaceState })
    const session = await client.completeMagicLink()
    expect(session?.userId).toBe(USERNAME)
    expect(replaceState).toHaveBeenCalledWith({ keep: true }, '', 'http://localhost:5173/welcome?x=1')
  })

  it('defaults the redirect to the current page in a browser and needs one elsewhere', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    await expect(client.signIn({ email: EMAIL, method: 'link' })).rejects.toThrow(TypeError)
    // The current page: its URL without the fragment, the query kept (React's component means the same).
    vi.stubGlobal('location', {
      href: 'http://localhost:3000/in?next=%2Forders#top',
      origin: 'http://localhost:3000',
      pathname: '/in',
    })
    await client.signIn({ email: EMAIL, method: 'link' })
    expect(cognito.inbox[0]?.link?.startsWith('http://localhost:3000/in?next=%2Forders#regionless-link=')).toBe(true)
  })
})
