// Kept apart from authorizer-config.ts so the construct can name the variables
// without pulling the verifier into the CDK entry point.

/** Variables of the HTTP API's Lambda authorizer (set by `RegionlessAuth`). */
export const AUTHORIZER_ENV = {
  pools: 'REGIONLESS_VERIFIER_POOLS',
  tokenUse: 'REGIONLESS_VERIFIER_TOKEN_USE',
} as const

/** The snapshot's file name inside the authorizer's bundle. */
export const SNAPSHOT_FILE = 'jwks-snapshot.json'
