import { describe, expect, it } from 'vitest'
import { actionFor, FaultError, parseFault } from '../src/faults.js'

const regions = ['eu-west-1', 'us-east-1']

describe('faults', () => {
  it('accepts every documented mode', () => {
    expect(parseFault({ region: 'eu-west-1', mode: 'slow', latencyMs: 300, rate: 0.5 }, regions)).toEqual({
      region: 'eu-west-1',
      mode: 'slow',
      latencyMs: 300,
      rate: 0.5,
    })
  })

  it('names the field that is wrong', () => {
    expect(() => parseFault({ region: 'ap-south-1', mode: 'down' }, regions)).toThrow(/region must be one of/)
    expect(() => parseFault({ region: 'eu-west-1', mode: 'broken' }, regions)).toThrow(/mode must be one of/)
    expect(() => parseFault({ region: 'eu-west-1', mode: 'down', rate: 2 }, regions)).toThrow(/rate/)
    expect(() => parseFault({ region: 'eu-west-1', mode: 'slow', latencyMs: -1 }, regions)).toThrow(/latencyMs/)
    expect(() => parseFault('down', regions)).toThrow(FaultError)
  })

  it('maps modes to actions, only for the configured share of requests', () => {
    expect(actionFor(undefined, 0)).toEqual({ kind: 'pass' })
    expect(actionFor({ region: 'x', mode: 'down' }, 0.99)).toEqual({ kind: 'refuse' })
    expect(actionFor({ region: 'x', mode: 'blackhole' }, 0)).toEqual({ kind: 'hang' })
    expect(actionFor({ region: 'x', mode: 'slow', latencyMs: 50 }, 0)).toEqual({ kind: 'delay', ms: 50 })
    expect(actionFor({ region: 'x', mode: 'error', rate: 0.25 }, 0.2)).toEqual({ kind: 'error' })
    expect(actionFor({ region: 'x', mode: 'error', rate: 0.25 }, 0.3)).toEqual({ kind: 'pass' })
    expect(actionFor({ region: 'x', mode: 'throttle' }, 0.5)).toEqual({ kind: 'throttle' })
  })

  it('narrows a mode to the operations named, and refuses to narrow down or with a bad list', () => {
    const fault = parseFault({ region: 'eu-west-1', mode: 'error', operations: ['AdminGetUser'] }, regions)
    expect(fault).toEqual({ region: 'eu-west-1', mode: 'error', operations: ['AdminGetUser'] })
    expect(actionFor(fault, 0, 'AdminGetUser')).toEqual({ kind: 'error' })
    expect(actionFor(fault, 0, 'AdminUpdateUserAttributes')).toEqual({ kind: 'pass' })
    // A request naming no operation (JWKS, a preflight) is not one of them.
    expect(actionFor(fault, 0)).toEqual({ kind: 'pass' })
    expect(() => parseFault({ region: 'eu-west-1', mode: 'down', operations: ['AdminGetUser'] }, regions)).toThrow(
      /cannot narrow the down mode/,
    )
    for (const operations of [[], 'AdminGetUser', ['Admin Get']]) {
      expect(() => parseFault({ region: 'eu-west-1', mode: 'error', operations }, regions)).toThrow(/operations/)
    }
  })
})
