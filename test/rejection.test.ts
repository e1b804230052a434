import { describe, expect, it } from 'vitest'
import { rejectionOf } from './helpers/rejection.js'

describe('rejectionOf', () => {
  const boom = new TypeError('boom')

  it('returns what a promise rejects with, or a function throws or rejects with', async () => {
    expect(await rejectionOf(Promise.reject(boom))).toBe(boom)
    expect(
      rejectionOf(() => {
        throw boom
      }),
    ).toBe(boom)
    expect(await rejectionOf(async () => Promise.reject(boom))).toBe(boom)
  })

  it('fails the test when nothing is thrown, naming what came back', async () => {
    await expect(rejectionOf(Promise.resolve({ ok: 1 }))).rejects.toThrow(
      'expected a rejection, but it resolved with { ok: 1 }',
    )
    expect(() => rejectionOf(() => 42)).toThrow('expected a throw, but it returned 42')
    await expect(rejectionOf(async () => 'fine')).rejects.toThrow("expected a rejection, but it resolved with 'fine'")
  })
})
