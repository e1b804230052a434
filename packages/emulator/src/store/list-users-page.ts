import { invalidParameter } from '../errors.js'
import { matchesFilter, type UserFilter } from './list-users-filter.js'
import type { StoredUser, UserStore } from './user-store.js'

/**
 * One page of ListUsers. Cognito documents its PaginationToken only as "an identifier returned by
 * the previous call"; the emulator makes it one of two cursors:
 *
 * - with a `username` filter (`^=` or `=`), the last username returned: the next page starts at the
 *   first username after it, found in the sorted index, so a page costs O(log n + page) whatever
 *   the pool's size, and a walk returns every user that stays in the pool exactly once, however
 *   many users are added or deleted between pages. Results come in username order, as the
 *   developer guide says Cognito sorts by the filtered attribute.
 * - otherwise, a position in the creation-ordered list (the emulator's behaviour before the index).
 */
export function listUsersPage(
  users: UserStore,
  filter: UserFilter | undefined,
  limit: number,
  token: string | undefined,
): { users: StoredUser[]; next?: string } {
  if (filter?.attribute === 'username') {
    const after = token === undefined ? undefined : decodeToken(token, 'after')
    const found = users.usernameRange(filter.value, {
      ...(after !== undefined && { after }),
      limit: limit + 1,
      exact: filter.op === '=',
    })
    const page = found.slice(0, limit)
    const last = page.at(-1)
    return found.length > limit && last ? { users: page, next: encodeToken({ after: last.username }) } : { users: page }
  }
  const offset = token === undefined ? 0 : decodeToken(token, 'offset')
  const all = users.ordered()
  const matching = filter ? all.filter((u) => matchesFilter(u, filter)) : all
  const page = matching.slice(offset, offset + limit)
  return offset + limit < matching.length
    ? { users: page, next: encodeToken({ offset: offset + limit }) }
    : { users: page }
}

type Cursor = { after: string } | { offset: number }

const encodeToken = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url')

function decodeToken(token: string, kind: 'after'): string
function decodeToken(token: string, kind: 'offset'): number
function decodeToken(token: string, kind: 'after' | 'offset'): string | number {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>
    const value = cursor[kind]
    if (kind === 'after' && typeof value === 'string') return value
    if (kind === 'offset' && typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  } catch {}
  // A token from another filter's walk lands here too: Cognito refuses a token that is not its query's.
  throw invalidParameter('Invalid pagination token')
}
