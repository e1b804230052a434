import { ChallengeError } from '../errors.js'

/**
 * The fields every trigger relies on. Cognito always sends them; anything
 * else (a test harness bug, a hand-made invocation) is refused before any
 * decision, so a malformed event can only fail.
 */
export function assertTriggerEvent(event: unknown, triggerSources: readonly string[]): void {
  if (typeof event !== 'object' || event === null) throw new ChallengeError('MALFORMED_EVENT', 'event is not an object')
  const { triggerSource, userName, userPoolId, request } = event as Record<string, unknown>
  if (typeof triggerSource !== 'string' || !triggerSources.includes(triggerSource)) {
    throw new ChallengeError('MALFORMED_EVENT', `unexpected triggerSource ${JSON.stringify(triggerSource)}`)
  }
  if (typeof userName !== 'string' || userName === '')
    throw new ChallengeError('MALFORMED_EVENT', 'userName is missing')
  if (typeof userPoolId !== 'string' || userPoolId === '') {
    throw new ChallengeError('MALFORMED_EVENT', 'userPoolId is missing')
  }
  if (typeof request !== 'object' || request === null) throw new ChallengeError('MALFORMED_EVENT', 'request is missing')
  const { clientMetadata, userAttributes } = request as Record<string, unknown>
  if (clientMetadata !== undefined && clientMetadata !== null && typeof clientMetadata !== 'object') {
    throw new ChallengeError('MALFORMED_EVENT', 'clientMetadata is not an object')
  }
  if (userAttributes !== undefined && userAttributes !== null && typeof userAttributes !== 'object') {
    throw new ChallengeError('MALFORMED_EVENT', 'userAttributes is not an object')
  }
}

/** A string field of an optional string map, or undefined (Cognito sends `null` for absent maps). */
export function stringField(map: unknown, key: string): string | undefined {
  if (typeof map !== 'object' || map === null) return undefined
  const value = (map as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : undefined
}
