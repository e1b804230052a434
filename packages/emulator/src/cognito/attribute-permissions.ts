import { notAuthorized } from '../errors.js'
import { STANDARD_ATTRIBUTES } from '../store/user-store.js'

/**
 * An app client's ReadAttributes and WriteAttributes. They bind the user-facing
 * operations (SignUp, UpdateUserAttributes, GetUser), never the admin ones.
 */
export interface AttributePermissions {
  /** `undefined`: Cognito's default, every standard attribute and the `*_verified` flags, no custom ones. */
  read: readonly string[] | undefined
  write: readonly string[]
}

/** Whether GetUser shows `name`. `sub` always shows: it is what identifies the user. */
export function isReadable(permissions: AttributePermissions, name: string): boolean {
  if (name === 'sub') return true
  return permissions.read ? permissions.read.includes(name) : STANDARD_ATTRIBUTES.has(name)
}

/**
 * Refuses a write of any attribute the app client may not write, with
 * Cognito's answer (NotAuthorizedException, the same for SignUp and
 * UpdateUserAttributes). The `*_verified` flags are never writable unless
 * listed, which is how Cognito keeps users from verifying their own email.
 */
export function assertAttributesWritable(permissions: AttributePermissions, names: Iterable<string>): void {
  for (const name of names) {
    if (!permissions.write.includes(name)) throw notAuthorized('A client attempted to write unauthorized attribute')
  }
}
