import { invalidParameter } from '../errors.js'
import type { StoredUser } from './user-store.js'

/** The attributes ListUsers can filter on (Cognito's list; anything else is rejected). */
const FILTERABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
])

export interface UserFilter {
  attribute: string
  op: '=' | '^='
  value: string
}

/**
 * Parses ListUsers' `Filter`: `name = "value"` (exact) or `name ^= "value"`
 * (prefix), one clause, value in double quotes with `\"` escapes.
 */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined
  const match = /^\s*([a-z_:]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter)
  if (!match) throw invalidParameter(`Error while parsing filter.`)
  const [, attribute = '', op, raw = ''] = match
  if (!FILTERABLE.has(attribute)) throw invalidParameter(`Invalid search attribute: ${attribute}`)
  return { attribute, op: op as '=' | '^=', value: raw.replace(/\\(.)/g, '$1') }
}

function attributeValue(user: StoredUser, attribute: string): string | undefined {
  switch (attribute) {
    case 'username':
      return user.username
    case 'sub':
      return user.sub
    case 'status':
      return user.enabled ? 'Enabled' : 'Disabled'
    case 'cognito:user_status':
      return user.status
    default:
      return user.attributes[attribute]
  }
}

/** `cognito:user_status` and email compare case-insensitively, like Cognito; the rest exactly. */
export function matchesFilter(user: StoredUser, filter: UserFilter | undefined): boolean {
  if (!filter) return true
  let actual = attributeValue(user, filter.attribute)
  if (actual === undefined) return false
  let wanted = filter.value
  if (filter.attribute === 'cognito:user_status' || filter.attribute === 'email') {
    actual = actual.toLowerCase()
    wanted = wanted.toLowerCase()
  }
  return filter.op === '=' ? actual === wanted : actual.startsWith(wanted)
}
