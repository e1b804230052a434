/**
 * Where the client keeps sessions and region health. Each method may return a
 * promise, so IndexedDB, React Native's AsyncStorage or a cookie store fit.
 */
export interface StorageAdapter {
  getItem(key: string): string | null | Promise<string | null>
  setItem(key: string, value: string): void | Promise<void>
  removeItem(key: string): void | Promise<void>
}

/**
 * Keeps everything in memory: nothing survives a reload. The default, and the
 * right choice on a server.
 *
 * @example
 * const storage = memoryStorage()
 * const client = createAuthClient({ ...config, storage })
 */
export function memoryStorage(): StorageAdapter {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value)
    },
    removeItem: (key) => {
      items.delete(key)
    },
  }
}

type WebStorageName = 'localStorage' | 'sessionStorage'

// Reads the Web Storage object on each call, not at import, so importing this
// module on a server (or before the page exists) touches nothing.
function webStorage(name: WebStorageName): StorageAdapter {
  const get = (): Storage => {
    const storage = (globalThis as Record<string, unknown>)[name] as Storage | undefined
    if (!storage) throw new TypeError(`No ${name} here`)
    return storage
  }
  return {
    getItem: (key) => get().getItem(key),
    setItem: (key, value) => get().setItem(key, value),
    removeItem: (key) => get().removeItem(key),
  }
}

/**
 * Keeps sessions in `localStorage`: shared by every tab, kept across restarts.
 *
 * @example
 * createAuthClient({ ...config, storage: localStorageAdapter() })
 */
export const localStorageAdapter = (): StorageAdapter => webStorage('localStorage')

/**
 * Keeps sessions in `sessionStorage`: one tab only, gone when it closes.
 *
 * @example
 * createAuthClient({ ...config, storage: sessionStorageAdapter() })
 */
export const sessionStorageAdapter = (): StorageAdapter => webStorage('sessionStorage')

/** Reads and parses a JSON item; a missing or corrupt item reads as `null`. */
export async function readJson<T>(storage: StorageAdapter, key: string): Promise<T | null> {
  const raw = await storage.getItem(key)
  try {
    return JSON.parse(raw!) as T // JSON.parse(null) is null
  } catch {
    return null
  }
}

export async function writeJson(storage: StorageAdapter, key: string, value: unknown): Promise<void> {
  await storage.setItem(key, JSON.stringify(value))
}
