import { describe, expect, it, vi } from 'vitest'
import { RegionlessError } from '../src/index.js'
import { createEmitter, createStore, initialState, reduce, type Session } from '../src/state.js'

const session: Session = {
  userId: 'u_1',
  email: 'a@b.c',
  region: 'eu-west-1',
  tokens: { idToken: 'i', accessToken: 'a', expiresAt: 1 },
}
const challenge = {
  method: 'code' as const,
  email: 'a@b.c',
  region: 'eu-west-1',
  attemptsLeft: 3,
  resendAvailableAt: 9,
}

describe('reducer', () => {
  it('walks the sign-in states', () => {
    let s = reduce(initialState('eu-west-1'), { type: 'loaded', session: null })
    expect(s.status).toBe('signed-out')
    s = reduce(s, { type: 'busy', status: 'sending' })
    expect(s.status).toBe('sending')
    s = reduce(s, { type: 'challenge', challenge })
    expect(s).toMatchObject({ status: 'awaiting-code', challenge })
    const err = new RegionlessError('CODE_MISMATCH', 'wrong')
    s = reduce(s, { type: 'failed', error: err, challenge: { ...challenge, attemptsLeft: 2 } })
    expect(s).toMatchObject({ status: 'awaiting-code', error: err, challenge: { attemptsLeft: 2 } })
    s = reduce(s, { type: 'signed-in', session })
    expect(s).toMatchObject({ status: 'signed-in', session, challenge: null, error: null })
    s = reduce(s, { type: 'signed-out' })
    expect(s).toMatchObject({ status: 'signed-out', session: null })
  })

  it('returns the same object when nothing changes', () => {
    const s = reduce(initialState('eu-west-1'), { type: 'loaded', session })
    expect(reduce(s, { type: 'region', region: 'eu-west-1' })).toBe(s)
    expect(reduce(s, { type: 'session', session })).toBe(s)
  })
})

describe('store', () => {
  it('notifies subscribers on change only, and getSnapshot is stable in between', () => {
    const store = createStore(initialState('eu-west-1'))
    const listener = vi.fn()
    const off = store.subscribe(listener)
    const before = store.getSnapshot()
    expect(store.getSnapshot()).toBe(before)
    store.dispatch({ type: 'region', region: 'eu-west-1' })
    expect(listener).not.toHaveBeenCalled()
    store.dispatch({ type: 'region', region: 'us-east-1' })
    expect(listener).toHaveBeenCalledOnce()
    expect(store.getSnapshot()).not.toBe(before)
    off()
    store.dispatch({ type: 'region', region: 'eu-west-1' })
    expect(listener).toHaveBeenCalledOnce()
  })

  it('emits typed events, and one throwing handler does not stop the others', () => {
    const events = createEmitter()
    const seen: string[] = []
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    events.on('regionChanged', () => {
      throw new Error('bad handler')
    })
    const off = events.on('regionChanged', ({ to }) => seen.push(to))
    events.emit('regionChanged', { from: 'a', to: 'b' })
    off()
    events.emit('regionChanged', { from: 'b', to: 'c' })
    expect(seen).toEqual(['b'])
    expect(spy).toHaveBeenCalledTimes(2)
    spy.mockRestore()
  })
})
