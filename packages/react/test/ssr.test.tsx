import { createAuthClient } from '@regionless/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { PasswordlessLogin, RegionlessProvider, useRegion } from '../src/index.js'

function Region() {
  return <span data-region={useRegion()} />
}

describe('server rendering', () => {
  it('renders the login and hooks with a real client and no window', () => {
    expect(typeof window).toBe('undefined')
    const client = createAuthClient({
      topology: 'pools',
      regions: [
        { region: 'eu-west-1', userPoolId: 'eu-west-1_abcdefghi', clientId: 'client-eu' },
        { region: 'us-east-1', userPoolId: 'us-east-1_abcdefghi', clientId: 'client-us' },
      ],
      fetch: () => Promise.reject(new Error('no network on the server')),
    })
    const html = renderToString(
      <RegionlessProvider client={client}>
        <Region />
        <PasswordlessLogin strings={{ title: 'Sign in to Acme' }} />
      </RegionlessProvider>,
    )
    expect(html).toContain('data-region="eu-west-1"')
    expect(html).toContain('Sign in to Acme')
    client.destroy()
  })

  it('explains a missing provider with a TypeError', () => {
    expect(() => renderToString(<Region />)).toThrow(/inside <RegionlessProvider/)
  })
})
