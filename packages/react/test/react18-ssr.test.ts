import { describe, expect, it } from 'vitest'
import { loadWithReact18 } from './helpers/react18/load.js'

// ssr.test.tsx again, on React 18's react-dom/server (its Node build), bundled by react18/load.ts.
type React18 = typeof import('./helpers/react18/server-entry.js')
const { exports: r18 } = await loadWithReact18<React18>('./server-entry.ts', 'node')

function Region() {
  return r18.createElement('span', { 'data-region': r18.useRegion() })
}

describe('server rendering on React 18', () => {
  it('renders the login and hooks with a real client and no window', () => {
    expect(r18.version).toBe('18.2.0')
    expect(typeof window).toBe('undefined')
    const client = r18.createAuthClient({
      topology: 'pools',
      regions: [
        { region: 'eu-west-1', userPoolId: 'eu-west-1_abcdefghi', clientId: 'client-eu' },
        { region: 'us-east-1', userPoolId: 'us-east-1_abcdefghi', clientId: 'client-us' },
      ],
      fetch: () => Promise.reject(new Error('no network on the server')),
    })
    const html = r18.renderToString(
      r18.createElement(
        r18.RegionlessProvider,
        { client },
        r18.createElement(Region),
        r18.createElement(r18.PasswordlessLogin, { strings: { title: 'Sign in to Acme' } }),
      ),
    )
    expect(html).toContain('data-region="eu-west-1"')
    expect(html).toContain('Sign in to Acme')
    expect(html).toMatch(/<label[^>]*for="[^"]+-email"[^>]*>Email<\/label>/)
    client.destroy()
  })

  it('explains a missing provider with a TypeError', () => {
    expect(() => r18.renderToString(r18.createElement(Region))).toThrow(/inside <RegionlessProvider/)
  })
})
