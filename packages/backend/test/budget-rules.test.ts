import { describe, expect, it } from 'vitest'
import { mailboxOf } from '../src/email/mailbox.js'
import { sendVerdict, windowVerdict } from '../src/triggers/budget-rules.js'

describe('the budget rules', () => {
  const send = { intervalSeconds: 30, limit: 3, windowSeconds: 3600 }

  it('space one region’s emails by the interval, and say how long to wait', () => {
    expect(sendVerdict([], [], 1000, send)).toEqual({ ok: true })
    expect(sendVerdict([1000], [1000], 1012, send)).toEqual({ ok: false, retryAfterSeconds: 18 })
    expect(sendVerdict([1000], [1000], 1030, send)).toEqual({ ok: true })
    expect(sendVerdict([1000], [1000], 1029.5, send)).toEqual({ ok: false, retryAfterSeconds: 1 })
  })

  it('let another region send at once (a sign-in moving away from a failed region)', () => {
    expect(sendVerdict([1000], [], 1001, send)).toEqual({ ok: true })
  })

  it('cap emails in the window, over every region, until the oldest counted one leaves it', () => {
    expect(sendVerdict([1000, 1100, 1200], [], 1300, send)).toEqual({ ok: false, retryAfterSeconds: 3300 })
    expect(sendVerdict([1000, 1100, 1200], [1200], 4600, send)).toEqual({ ok: true })
    expect(sendVerdict([1000, 1100, 1200, 1250], [], 4650, send)).toEqual({ ok: false, retryAfterSeconds: 50 })
  })

  it('lock after `limit` events in the window, whatever order they arrive in', () => {
    const lockout = { limit: 3, windowSeconds: 600 }
    expect(windowVerdict([100, 50], 200, lockout)).toEqual({ ok: true })
    expect(windowVerdict([150, 50, 100], 200, lockout)).toEqual({ ok: false, retryAfterSeconds: 450 })
    expect(windowVerdict([150, 50, 100], 650, lockout)).toEqual({ ok: true })
  })
})

describe('mailboxOf', () => {
  it.each([
    ['Ada@Example.com', 'ada@example.com'],
    ['ada+news@example.com', 'ada@example.com'],
    ['ada+a+b@example.com.', 'ada@example.com'],
    ['A.d.a+x@GoogleMail.com', 'ada@gmail.com'],
    ['a.da@gmail.com', 'ada@gmail.com'],
    ['a.da@example.com', 'a.da@example.com'],
    ['+tag@example.com', '+tag@example.com'],
  ])('%s is delivered to %s', (address, mailbox) => {
    expect(mailboxOf(address)).toBe(mailbox)
  })

  it('refuses what is not an address', () => {
    expect(() => mailboxOf('no-at-sign')).toThrow(TypeError)
  })
})
