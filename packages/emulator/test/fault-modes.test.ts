import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../test/helpers/rejection.js'
import { type EmulatorRegion, type RunningEmulator, startEmulator } from '../src/index.js'
import { cognito, sdk } from './helpers/protocol.js'

/** A cheap call that always answers 400 when healthy (no such refresh token). */
function probe(region: EmulatorRegion, init: RequestInit = {}) {
  return cognito(
    region.endpoint,
    'InitiateAuth',
    { ClientId: region.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'nope' } },
    init,
  )
}

/** A failed fetch: the error's name and its cause's system code. */
async function networkError(promise: Promise<unknown>) {
  const e = (await rejectionOf(promise)) as Error & { cause?: { code?: string } }
  return { name: e.name, code: e.cause?.code }
}

describe('faults per region', () => {
  let emulator: RunningEmulator
  let eu: EmulatorRegion
  let us: EmulatorRegion
  beforeAll(async () => {
    emulator = await startEmulator()
    ;[eu, us] = emulator.config.regions as [EmulatorRegion, EmulatorRegion]
  })
  afterAll(() => emulator?.close())
  afterEach(async () => {
    for (const region of emulator.config.regions) await postFault({ region: region.region, mode: 'healthy' })
  })

  const postFault = (fault: Record<string, unknown>) =>
    fetch(`${emulator.controlUrl}/_regionless/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    })

  it('down: connections are refused, the other region is unaffected, healthy restores it', async () => {
    expect((await postFault({ region: eu.region, mode: 'down' })).status).toBe(200)
    expect(await networkError(probe(eu))).toEqual({ name: 'TypeError', code: 'ECONNREFUSED' })
    expect(await networkError(fetch(eu.jwksUri))).toMatchObject({ code: 'ECONNREFUSED' })
    expect((await probe(us)).status).toBe(400)
    const faults = (await (await fetch(`${emulator.controlUrl}/_regionless/faults`)).json()) as unknown[]
    expect(faults).toEqual([
      { region: eu.region, mode: 'down' },
      { region: us.region, mode: 'healthy' },
    ])
    await postFault({ region: eu.region, mode: 'healthy' })
    expect((await probe(eu)).body.__type).toBe('NotAuthorizedException')
  })

  it('down also cuts a kept-alive connection the client already had', async () => {
    const client = sdk(eu)
    const call = async () =>
      (await rejectionOf(client.send(new GetUserCommand({ AccessToken: 'x.y.z' })))) as Error & { code?: string }
    expect((await call()).name).toBe('NotAuthorizedException')
    await emulator.setFault({ region: eu.region, mode: 'down' })
    const err = await call()
    expect(err.name).not.toBe('NotAuthorizedException')
    expect(err.code ?? err.name).toMatch(/ECONNREFUSED|ECONNRESET|EPIPE/)
    await emulator.setFault({ region: eu.region, mode: 'healthy' })
    expect((await call()).name).toBe('NotAuthorizedException')
    client.destroy()
  })

  it("blackhole: accepted and never answered, until the client's own time-out fires", async () => {
    await postFault({ region: eu.region, mode: 'blackhole' })
    expect(await networkError(probe(eu, { signal: AbortSignal.timeout(200) }))).toMatchObject({ name: 'TimeoutError' })
    await postFault({ region: eu.region, mode: 'healthy' })
    expect((await probe(eu, { signal: AbortSignal.timeout(5_000) })).status).toBe(400)
  })

  it('slow: answers, but after the added latency', async () => {
    await postFault({ region: eu.region, mode: 'slow', latencyMs: 1_000 })
    expect(await networkError(probe(eu, { signal: AbortSignal.timeout(100) }))).toMatchObject({ name: 'TimeoutError' })
    await postFault({ region: eu.region, mode: 'slow', latencyMs: 1 })
    expect((await probe(eu)).body.__type).toBe('NotAuthorizedException')
  })

  it('error: 500 InternalErrorException, seen by the SDK', async () => {
    await postFault({ region: eu.region, mode: 'error' })
    const raw = await probe(eu)
    expect(raw.status).toBe(500)
    expect(raw.body.__type).toBe('InternalErrorException')
    const client = sdk(eu)
    const err = await rejectionOf(
      client.send(
        new InitiateAuthCommand({ ClientId: eu.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'x' } }),
      ),
    )
    expect(err).toMatchObject({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } })
    client.destroy()
  })

  it('throttle: TooManyRequestsException', async () => {
    await postFault({ region: eu.region, mode: 'throttle' })
    const res = await probe(eu)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ __type: 'TooManyRequestsException', message: 'Rate exceeded' })
  })

  it('rate: a mode applies only to that share of requests', async () => {
    await postFault({ region: eu.region, mode: 'error', rate: 0 })
    expect((await probe(eu)).status).toBe(400)
    await postFault({ region: eu.region, mode: 'error', rate: 1 })
    expect((await probe(eu)).status).toBe(500)
  })

  it('refuses a fault it does not understand, changing nothing', async () => {
    const res = await postFault({ region: eu.region, mode: 'melted' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toMatch(/mode must be one of/)
    expect((await probe(eu)).status).toBe(400)
  })
})

describe('fault rates', () => {
  const draws: number[] = []
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ random: () => draws.shift() ?? 0.99 })
  })
  afterAll(() => emulator?.close())

  it('down at a rate below 1 resets only the requests it draws, keeping the port open', async () => {
    const eu = emulator.config.regions[0]!
    await emulator.setFault({ region: eu.region, mode: 'down', rate: 0.5 })
    draws.push(0.2, 0.8)
    const hit = await networkError(probe(eu))
    expect(hit.name).toBe('TypeError')
    expect(hit.code).not.toBe('ECONNREFUSED')
    expect((await probe(eu)).status).toBe(400)
  })
})
