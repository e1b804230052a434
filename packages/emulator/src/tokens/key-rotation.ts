import type { PoolKeys } from './pool-keys.js'

/** Which pool's keys to rotate (`POST /_regionless/keys/rotate`, `emulator.rotateKeys`). */
export interface KeyRotationRequest {
  region?: string
  userPoolId?: string
  /** Also stop publishing every older key at once (tokens they signed stop verifying). */
  retire?: boolean
}

/** What a rotation did: the pool, the regions that publish its keys, the new kids and the retired ones. */
export interface RotatedKeys {
  userPoolId: string
  regions: string[]
  kids: { id: string; access: string }
  retired: string[]
}

/** The part of a region's pool a rotation needs. */
interface KeyHolder {
  region: string
  userPoolId: string
  keys: PoolKeys
}

/**
 * Returns `rotate(request)`: it publishes a new ID and access key beside the
 * old ones in the pool named by region or pool id; new tokens are signed with
 * them. Replicas share one key ring, so rotating either region rotates both,
 * as with Cognito's replicas. A request that names no pool throws a TypeError
 * and changes nothing.
 */
export function createKeyRotation(pools: readonly KeyHolder[]) {
  return async (request: unknown): Promise<RotatedKeys> => {
    const target = parseRequest(request)
    const chosen = pools.find((p) => p.region === target.region || p.userPoolId === target.userPoolId)
    if (!chosen) {
      const known = pools.map((p) => `${p.region} (${p.userPoolId})`).join(', ')
      throw new TypeError(`no such region or user pool; the emulator has ${known}`)
    }
    const next = await chosen.keys.rotate()
    const retired = target.retire ? chosen.keys.retire() : []
    return {
      userPoolId: chosen.userPoolId,
      regions: pools.filter((p) => p.keys === chosen.keys).map((p) => p.region),
      kids: { id: next.id.kid, access: next.access.kid },
      retired,
    }
  }
}

function parseRequest(request: unknown): KeyRotationRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new TypeError('a key rotation is { region } or { userPoolId }, with retire?: boolean')
  }
  const { region, userPoolId, retire } = request as Record<string, unknown>
  if ((region === undefined) === (userPoolId === undefined)) {
    throw new TypeError('name exactly one of region and userPoolId')
  }
  if (region !== undefined && typeof region !== 'string') throw new TypeError('region must be a string')
  if (userPoolId !== undefined && typeof userPoolId !== 'string') throw new TypeError('userPoolId must be a string')
  if (retire !== undefined && typeof retire !== 'boolean') throw new TypeError('retire must be true or false')
  return {
    ...(region !== undefined && { region }),
    ...(userPoolId !== undefined && { userPoolId }),
    ...(retire !== undefined && { retire }),
  } as KeyRotationRequest
}
