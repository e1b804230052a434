import { describe, expect, it } from 'vitest'
import { type EmulatorConfigFile, resolveConfig } from '../src/index.js'

const refused = (file: unknown) => () => resolveConfig(file as EmulatorConfigFile)

describe('app client and pool settings of the config file', () => {
  it('default to Cognito’s where the deployment sets nothing, and to the deployment’s where it does', () => {
    const { client, pool } = resolveConfig({})
    expect(client.refreshTokenRotation).toEqual({ enabled: false, retryGracePeriodSeconds: 0 })
    expect(client.readAttributes).toBeUndefined()
    expect(client.writeAttributes).toEqual(['email'])
    expect(pool.allowedFirstAuthFactors).toEqual(['PASSWORD'])
  })

  it('read refresh-token rotation as Cognito’s RefreshTokenRotationType', () => {
    const on = resolveConfig({ client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 60 } } })
    expect(on.client.refreshTokenRotation).toEqual({ enabled: true, retryGracePeriodSeconds: 60 })
    expect(refused({ client: { refreshTokenRotation: { feature: 'ON' } } })).toThrow(
      /^client\.refreshTokenRotation\.feature: must be "ENABLED" or "DISABLED"/,
    )
    for (const grace of [61, -1, 1.5, '10']) {
      expect(
        refused({ client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: grace } } }),
      ).toThrow(/^client\.refreshTokenRotation\.retryGracePeriodSeconds: must be an integer from 0 to 60/)
    }
    expect(refused({ client: { refreshTokenRotation: true } })).toThrow(/^client\.refreshTokenRotation: /)
  })

  it('check attribute lists and sign-in factors, naming the field', () => {
    const lists = resolveConfig({ client: { readAttributes: ['sub', 'custom:tier'], writeAttributes: ['name'] } })
    expect(lists.client).toMatchObject({ readAttributes: ['sub', 'custom:tier'], writeAttributes: ['name'] })
    expect(refused({ client: { writeAttributes: ['shoe_size'] } })).toThrow(/^client\.writeAttributes: .*shoe_size/)
    expect(refused({ client: { writeAttributes: ['sub'] } })).toThrow(/^client\.writeAttributes: /)
    expect(refused({ client: { readAttributes: 'email' } })).toThrow(/^client\.readAttributes: /)
    expect(refused({ client: { preventUserExistenceErrors: 'yes' } })).toThrow(/^client\.preventUserExistenceErrors: /)

    const otp = resolveConfig({ pool: { allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } })
    expect(otp.pool.allowedFirstAuthFactors).toEqual(['PASSWORD', 'EMAIL_OTP'])
    expect(refused({ pool: { allowedFirstAuthFactors: ['EMAIL_OTP'] } })).toThrow(
      /^pool\.allowedFirstAuthFactors: must include PASSWORD/,
    )
    expect(refused({ pool: { allowedFirstAuthFactors: ['PASSWORD', 'MAGIC_LINK'] } })).toThrow(
      /^pool\.allowedFirstAuthFactors: .*MAGIC_LINK/,
    )
    expect(refused({ pool: { allowedFirstAuthFactors: [] } })).toThrow(/^pool\.allowedFirstAuthFactors: /)
  })
})
