// Lambda entry of the HTTP API authorizer (bundled by RegionlessAuth with the
// JWKS snapshot next to it). Built on @regionless/verifier: accepts a token of
// any region's pool, using the shipped keys so a peer region's outage cannot
// stop a cold start here. The configuration is checked at cold start.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHttpApiAuthorizer, createVerifier, type JwksSnapshot } from '@regionless/verifier'
import { authorizerOptionsFromEnv } from '../cdk/authorizer-config.js'
import { SNAPSHOT_FILE } from '../cdk/authorizer-env.js'

const snapshotPath = join(process.env.LAMBDA_TASK_ROOT ?? __dirname, SNAPSHOT_FILE)
const snapshot = existsSync(snapshotPath) ? (JSON.parse(readFileSync(snapshotPath, 'utf8')) as JwksSnapshot) : undefined

export const handler = createHttpApiAuthorizer(createVerifier(authorizerOptionsFromEnv(process.env, snapshot)))
