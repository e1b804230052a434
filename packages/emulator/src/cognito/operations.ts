import {
  adminCreateUser,
  adminDeleteUser,
  adminDeleteUserAttributes,
  adminDisableUser,
  adminEnableUser,
  adminGetUser,
  adminSetUserPassword,
  adminUpdateUserAttributes,
  adminUserGlobalSignOut,
} from './admin.js'
import type { Operation } from './context.js'
import { initiateAuth, respondToAuthChallenge } from './custom-auth.js'
import { describeUserPool } from './describe-user-pool.js'
import { listUsers } from './list-users.js'
import { confirmSignUp, resendConfirmationCode, signUp } from './sign-up.js'
import { getTokensFromRefreshToken } from './token-refresh.js'
import {
  deleteUser,
  getUser,
  globalSignOut,
  revokeToken,
  updateUserAttributes,
  verifyUserAttribute,
} from './user-self.js'

/** The Cognito operations a region serves, keyed by the `X-Amz-Target` suffix. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUser: getUser,
  UpdateUserAttributes: updateUserAttributes,
  VerifyUserAttribute: verifyUserAttribute,
  DeleteUser: deleteUser,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUser: adminDeleteUser,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ListUsers: listUsers,
  DescribeUserPool: describeUserPool,
}

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.'
