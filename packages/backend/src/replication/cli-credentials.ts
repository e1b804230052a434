/** Static AWS keys, as the SDK clients' `credentials` option takes them. */
export interface CliCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/**
 * The credentials the CLI's AWS clients use, decided from the environment the
 * CLI was given (`io.env`), the same one it reads everything else from. Left
 * to itself the SDK would read `process.env`, which a caller of `runCli` may
 * not have filled: keys in `env` are passed explicitly; without them, the
 * emulator (which accepts any SigV4 signature) gets placeholder keys and real
 * AWS gets the SDK's default chain (profiles, SSO, instance roles).
 *
 * @example
 * cliCredentials({ AWS_ACCESS_KEY_ID: 'AKID…', AWS_SECRET_ACCESS_KEY: '…' }, false) // those keys
 */
export function cliCredentials(env: Record<string, string | undefined>, local: boolean): CliCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim()
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim()
  if (accessKeyId && secretAccessKey) {
    const sessionToken = env.AWS_SESSION_TOKEN?.trim()
    return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) }
  }
  return local ? { accessKeyId: 'regionless-cli', secretAccessKey: 'regionless-cli' } : undefined
}
