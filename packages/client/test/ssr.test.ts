import { afterEach, describe, expect, it, vi } from 'vitest'

// Records every touch of a browser global.
const touched: string[] = []
const trap = (name: string) =>
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      touched.push(name)
      return undefined
    },
  })

afterEach(() => {
  for (const name of ['window', 'localStorage', 'sessionStorage', 'document'])
    delete (globalThis as Record<string, unknown>)[name]
  vi.resetModules()
})

describe('server-side rendering', () => {
  it('touches no browser global on import, and none but its storage adapter when created', async () => {
    touched.length = 0
    for (const name of ['window', 'localStorage', 'sessionStorage', 'document']) trap(name)
    const mod = await import('../src/index.js')
    expect(touched).toEqual([])
    const client = mod.createAuthClient({
      topology: 'pools',
      regions: [{ region: 'eu-west-1', userPoolId: 'eu-west-1_A', clientId: 'c' }],
      storage: mod.localStorageAdapter(),
    })
    expect(client.getSnapshot().status).toBe('loading')
    await client.ready()
    // On a server the adapter finds no localStorage: the client is simply signed out.
    expect(client.getSnapshot().status).toBe('signed-out')
    expect([...new Set(touched)]).toEqual(['localStorage'])
    client.destroy()
  })

  it('keeps two clients on one page apart', async () => {
    const { createAuthClient } = await import('../src/index.js')
    const regions = [{ region: 'eu-west-1', userPoolId: 'eu-west-1_A', clientId: 'c' }]
    const a = createAuthClient({ topology: 'pools', regions })
    const b = createAuthClient({ topology: 'pools', regions })
    await Promise.all([a.ready(), b.ready()])
    expect(a.getSnapshot()).not.toBe(b.getSnapshot())
    a.destroy()
    b.destroy()
  })
})
