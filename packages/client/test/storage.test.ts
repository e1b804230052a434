import { afterEach, describe, expect, it, vi } from 'vitest'
import { localStorageAdapter, memoryStorage, type StorageAdapter, sessionStorageAdapter } from '../src/index.js'
import { readJson, writeJson } from '../src/storage.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()

afterEach(() => {
  vi.unstubAllGlobals()
})

function fakeWebStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  }
}

// An adapter whose every call resolves later, like IndexedDB or AsyncStorage.
function asyncStorage(): StorageAdapter & { items: Map<string, string> } {
  const items = new Map<string, string>()
  const later = <T>(fn: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(fn()), 1))
  return {
    items,
    getItem: (k) => later(() => items.get(k) ?? null),
    setItem: (k, v) => later(() => void items.set(k, v)),
    removeItem: (k) => later(() => void items.delete(k)),
  }
}

describe('storage adapters', () => {
  it('memory storage keeps items per instance', async () => {
    const a = memoryStorage()
    const b = memoryStorage()
    await writeJson(a, 'k', { x: 1 })
    expect(await readJson(a, 'k')).toEqual({ x: 1 })
    expect(await readJson(b, 'k')).toBeNull()
    await a.removeItem('k')
    expect(await a.getItem('k')).toBeNull()
  })

  it('reads a corrupt item as null', async () => {
    const s = memoryStorage()
    await s.setItem('k', '{not json')
    expect(await readJson(s, 'k')).toBeNull()
  })

  it('local and session adapters reach the Web Storage object only when used', () => {
    const local = localStorageAdapter()
    const session = sessionStorageAdapter()
    expect(() => local.getItem('k')).toThrow(TypeError)
    const ls = fakeWebStorage()
    const ss = fakeWebStorage()
    vi.stubGlobal('localStorage', ls)
    vi.stubGlobal('sessionStorage', ss)
    local.setItem('k', 'L')
    session.setItem('k', 'S')
    expect(ls.items.get('k')).toBe('L')
    expect(ss.items.get('k')).toBe('S')
    session.removeItem('k')
    expect(session.getItem('k')).toBeNull()
    expect(local.getItem('k')).toBe('L')
  })

  it('works end to end with an async adapter, and the session survives a reload', async () => {
    const storage = asyncStorage()
    const { cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const client = make({ storage })
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer(cognito.lastCode()!)
    expect([...storage.items.keys()].some((k) => k.endsWith('.session'))).toBe(true)
    const reloaded = make({ storage })
    await reloaded.ready()
    expect(reloaded.getSession()?.userId).toBe(USERNAME)
  })

  it('with localStorage, a session written by one tab is read by the next page load', async () => {
    vi.stubGlobal('localStorage', fakeWebStorage())
    const { cognito, make } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    const client = make({ storage: localStorageAdapter() })
    await client.signIn({ email: EMAIL, method: 'code' })
    await client.answer(cognito.lastCode()!)
    const reloaded = make({ storage: localStorageAdapter() })
    await reloaded.ready()
    expect(reloaded.getSession()?.email).toBe(EMAIL)
  })
})
