import { invalidParameter, optionalString } from '../errors.js'
import { parseUserFilter } from '../store/list-users-filter.js'
import { listUsersPage } from '../store/list-users-page.js'
import { userType } from './admin.js'
import { type Operation, requirePool } from './context.js'

export const listUsers: Operation = async (ctx, body) => {
  requirePool(ctx, body)
  const filter = parseUserFilter(optionalString(body, 'Filter'))
  const limit = body.Limit === undefined ? 60 : body.Limit
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > 60) {
    throw invalidParameter(
      "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    )
  }
  const only = body.AttributesToGet
  if (only !== undefined && (!Array.isArray(only) || only.some((a) => typeof a !== 'string'))) {
    throw invalidParameter('AttributesToGet must be a list of attribute names')
  }
  // Limit 0 is the default page, as before.
  const page = listUsersPage(ctx.pool.users, filter, limit === 0 ? 60 : limit, optionalString(body, 'PaginationToken'))
  return {
    Users: page.users.map((u) => userType(u, only as string[] | undefined)),
    ...(page.next && { PaginationToken: page.next }),
  }
}
