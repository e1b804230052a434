import type { StoredPasskey } from '@regionless/backend'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulatorStores, type RunningEmulator, startEmulator } from '../src/index.js'

const passkey = (id: string): StoredPasskey => ({
  id,
  publicKey: 'cHVibGlj',
  counter: 0,
  name: 'Laptop',
  createdAt: Date.UTC(2026, 11, 2),
  registeredRegion: 'eu-west-1',
  backedUp: false,
  deviceType: 'singleDevice',
})

describe('the stores every region shares, from another process', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 })
  })
  afterAll(() => emulator.close())

  it('announces the relying party of its passkeys in the config', async () => {
    const config = await (await fetch(`${emulator.controlUrl}/_regionless/config`)).json()
    expect(config.relyingParty).toEqual({ rpId: 'localhost', origins: ['http://localhost:*'] })
  })

  it('writes through the control endpoint into the store the triggers read', async () => {
    const remote = createEmulatorStores(emulator.controlUrl)
    expect(await remote.passkeys.add('u_aa01', passkey('cred-1'))).toBe(true)
    expect(await remote.passkeys.add('u_aa01', passkey('cred-1'))).toBe(false)
    expect((await emulator.stores.passkeys.list('u_aa01')).map((p) => p.id)).toEqual(['cred-1'])
    expect(await remote.passkeys.rename('u_aa01', 'cred-1', 'Phone')).toMatchObject({ name: 'Phone' })
    expect(await remote.passkeys.findChallenge('nope')).toBeUndefined()
    expect(await remote.singleUse.consume('webauthn#abc', Date.now() / 1000 + 60)).toBe(true)
    expect(await emulator.stores.singleUse.consume('webauthn#abc', Date.now() / 1000 + 60)).toBe(false)
    await remote.passkeys.removeAll('u_aa01')
    expect(await emulator.stores.passkeys.list('u_aa01')).toEqual([])
  })

  it.each([
    [{ store: 'users', method: 'list', args: [] }, /^store must be one of/],
    [{ store: 'passkeys', method: 'constructor', args: [] }, /^method must be one of/],
    [{ store: 'passkeys', method: 'list', args: 'u_1' }, /^args must be an array/],
  ])('refuses a call no store has: %j', async (body, error) => {
    const res = await fetch(`${emulator.controlUrl}/_regionless/stores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(error)
  })
})
