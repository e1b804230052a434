import { describe, expect, it } from 'vitest'
import { createRedirectMatcher } from '../src/links/redirect-allow-list.js'

const check = createRedirectMatcher([
  'https://app.example.com',
  'https://example.com/auth/',
  'https://docs.example.com/app',
  'http://localhost:*',
  'http://127.0.0.1:*',
])

describe('redirect allow-list', () => {
  it.each([
    'https://app.example.com',
    'https://app.example.com/any/path?x=1',
    'https://APP.example.com:443/',
    'https://example.com/auth/',
    'https://example.com/auth/callback#old-fragment',
    'https://docs.example.com/app',
    'https://docs.example.com/app/done',
    'http://localhost:5173/',
    'http://127.0.0.1:49152/callback',
  ])('allows %s', (url) => {
    expect(check(url)).toMatchObject({ ok: true })
  })

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['another origin', 'https://evil.example.net/'],
    ['a look-alike host', 'https://app.example.com.evil.example.net/'],
    ['userinfo before the host', 'https://app.example.com@evil.example.net/'],
    ['userinfo on the allowed host', 'https://user:pass@app.example.com/'],
    ['a downgrade to http', 'http://app.example.com/'],
    ['another port', 'https://app.example.com:8443/'],
    ['a subdomain', 'https://x.app.example.com/'],
    ['a path outside the prefix', 'https://example.com/other'],
    ['a prefix that is not a segment', 'https://docs.example.com/application'],
    ['a backslash trick', 'https://app.example.com\\@evil.example.net/'],
    ['a tab inside', 'https://app.exa\tmple.com/'],
    ['a protocol-relative URL', '//evil.example.net/'],
    ['a relative path', '/auth/'],
    ['nothing', ''],
    ['not a string', 42],
    ['a huge URL', `https://app.example.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_, url) => {
    expect(check(url)).toMatchObject({ ok: false })
  })

  it('normalises what it returns', () => {
    const result = check('https://APP.example.com:443/x')
    expect(result.ok && result.url.href).toBe('https://app.example.com/x')
  })

  it.each([
    ['javascript:alert(1)'],
    ['https://app.example.com/?q=1'],
    ['https://u@app.example.com'],
    ['not a url'],
    [' https://a.example.com'],
  ])('refuses the bad allow-list entry %s at start-up', (entry) => {
    expect(() => createRedirectMatcher([entry])).toThrow(TypeError)
  })
})
