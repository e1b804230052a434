import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseUserFilter } from '../src/store/list-users-filter.js'
import { listUsersPage } from '../src/store/list-users-page.js'
import { buildSeedUsers } from '../src/store/seed-users.js'
import { createUserStore, newUser, type UserStore } from '../src/store/user-store.js'

// Usernames as the backend makes them: `u_` and 32 hex digits of a digest, spread evenly.
const username = (i: number) => `u_${createHash('sha256').update(String(i)).digest('hex').slice(0, 32)}`

function storeOf(count: number, onVisit?: () => void) {
  const users = createUserStore(onVisit ? { index: { onVisit } } : {})
  const seeded = Array.from({ length: count }, (_, i) => ({ username: username(i) }))
  users.insertNew(buildSeedUsers(seeded, () => false, 1_700_000_000_000))
  return users
}

/** Every page of a ListUsers walk; `between` runs after each page, before the next call. */
function walk(users: UserStore, filter: string, between: (page: number) => void = () => {}) {
  const parsed = parseUserFilter(filter)
  const seen: string[] = []
  let token: string | undefined
  let page = 0
  do {
    const result = listUsersPage(users, parsed, 60, token)
    seen.push(...result.users.map((u) => u.username))
    token = result.next
    between(page++)
  } while (token)
  return seen
}

describe('ListUsers over a sorted username index', () => {
  const n = 100_000
  const users = storeOf(n)
  const all = Array.from({ length: n }, (_, i) => username(i))

  it('walks a prefix of 100 000 users: each match once, in username order, nothing else', () => {
    const expected = all.filter((u) => u.startsWith('u_3a')).sort()
    expect(expected.length).toBeGreaterThan(300) // about n / 256
    const seen = walk(users, 'username ^= "u_3a"')
    expect(seen).toEqual(expected)
  })

  it('keeps every untouched user exactly once when users are added and deleted between pages', () => {
    const store = storeOf(n)
    const before = all.filter((u) => u.startsWith('u_3a')).sort()
    const deleted = new Set(before.filter((_, i) => i % 7 === 3))
    const added: string[] = []
    const seen = walk(store, 'username ^= "u_3a"', (page) => {
      // Delete some users ahead of the cursor and behind it, and the cursor's own user; add new ones.
      for (const name of before.slice(page * 60, page * 60 + 120)) {
        if (deleted.has(name)) store.delete(name)
      }
      const fresh = `u_3a${String(page).padStart(2, '0')}${'f'.repeat(28)}`
      store.put(newUser(fresh, {}, 'CONFIRMED', 1))
      added.push(fresh)
    })
    const untouched = before.filter((u) => !deleted.has(u))
    for (const name of untouched) expect(seen.filter((s) => s === name)).toHaveLength(1)
    expect(new Set(seen).size).toBe(seen.length) // no user twice, added ones included
    expect(seen.every((s) => s.startsWith('u_3a'))).toBe(true)
  })

  it('an exact username filter is a one-entry range', () => {
    const name = all[4242] as string
    expect(walk(users, `username = "${name}"`)).toEqual([name])
    expect(walk(users, `username = "${name.slice(0, -1)}"`)).toEqual([])
  })

  it('compares usernames case-sensitively, as Cognito documents for the username filter', () => {
    expect(walk(users, 'username ^= "U_3A"')).toEqual([])
  })

  it('a page costs O(log n + page): index entries visited, not time', () => {
    const cost = (size: number) => {
      let visits = 0
      const store = storeOf(size, () => visits++)
      // Every username matches, so both pool sizes give a full second page.
      const filter = parseUserFilter('username ^= "u_"')
      const first = listUsersPage(store, filter, 60, undefined)
      visits = 0
      listUsersPage(store, filter, 60, first.next)
      return visits
    }
    const small = cost(1_000)
    const big = cost(100_000)
    // Two binary searches (prefix, cursor) and the page plus the one entry that says "more".
    const bound = (size: number) => 2 * (Math.ceil(Math.log2(size)) + 1) + 61
    expect(small).toBeLessThanOrEqual(bound(1_000))
    expect(big).toBeLessThanOrEqual(bound(100_000))
    // 100 times the users, a few more probes: nothing close to linear.
    expect(big - small).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(100)) + 2)
  })

  it('other filters keep the creation-ordered offset cursor', () => {
    const store = createUserStore()
    for (const [i, name] of ['u_c', 'u_a', 'u_b'].entries()) {
      store.put(newUser(name, { name: 'Ann' }, 'CONFIRMED', 1000 + i))
    }
    const filter = parseUserFilter('name = "Ann"')
    const first = listUsersPage(store, filter, 2, undefined)
    expect(first.users.map((u) => u.username)).toEqual(['u_c', 'u_a'])
    const second = listUsersPage(store, filter, 2, first.next)
    expect(second.users.map((u) => u.username)).toEqual(['u_b'])
    expect(second.next).toBeUndefined()
    // A cursor of one kind is no good for the other walk.
    expect(() => listUsersPage(store, parseUserFilter('username ^= "u_"'), 2, first.next)).toThrow(
      'Invalid pagination token',
    )
  })

  it('keeps the index in step when a user is replaced or removed', () => {
    const store = createUserStore()
    store.put(newUser('u_Ab', {}, 'CONFIRMED', 1))
    // Same user (usernames are case-insensitive keys), another spelling: one entry, the new one.
    store.put(newUser('u_ab', {}, 'CONFIRMED', 2))
    expect(walk(store, 'username ^= "u_"')).toEqual(['u_ab'])
    store.delete('U_AB')
    expect(walk(store, 'username ^= "u_"')).toEqual([])
    expect(store.size).toBe(0)
  })
})
