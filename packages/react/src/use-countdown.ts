'use client'
import { useEffect, useState } from 'react'

/**
 * Whole seconds left until `until` (epoch ms), updated every second, 0 when
 * past. The deadline comes from the client's state, which is persisted, so the
 * countdown survives a reload.
 */
export function useCountdown(until: number | undefined, now: () => number = Date.now): number {
  const left = () => (until ? Math.max(0, Math.ceil((until - now()) / 1000)) : 0)
  const [seconds, setSeconds] = useState(left)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `left` is derived from `until` and `now`
  useEffect(() => {
    setSeconds(left())
    if (!until) return
    const timer = setInterval(() => {
      const next = left()
      setSeconds(next)
      if (next === 0) clearInterval(timer)
    }, 1000)
    return () => clearInterval(timer)
  }, [until, now])
  return seconds
}
