import { useCallback, useEffect, useState } from 'react'

type Mode = 'healthy' | 'down' | 'blackhole' | 'slow' | 'error' | 'throttle'

/** Demo only: takes a region down and back through the emulator's fault endpoint. */
export function FaultPanel({ regions }: { regions: string[] }) {
  const [modes, setModes] = useState<Record<string, Mode>>({})
  const refresh = useCallback(async () => {
    const faults = (await (await fetch('/_regionless/faults')).json()) as unknown
    const list = Array.isArray(faults) ? faults : Object.values((faults as Record<string, unknown>) ?? {})
    const next: Record<string, Mode> = {}
    for (const f of list as Array<{ region: string; mode: Mode }>) next[f.region] = f.mode
    setModes(next)
  }, [])
  useEffect(() => {
    refresh().catch(() => {})
    // Faults can also be set with curl or by a test: keep the panel in step.
    const timer = setInterval(() => refresh().catch(() => {}), 2000)
    return () => clearInterval(timer)
  }, [refresh])

  async function set(region: string, mode: Mode) {
    await fetch('/_regionless/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ region, mode }),
    })
    await refresh()
  }

  return (
    <aside className="card faults" aria-label="Region faults (demo only)">
      <h2>Regions</h2>
      <ul>
        {regions.map((region) => {
          const mode = modes[region] ?? 'healthy'
          return (
            <li key={region}>
              <span className={`dot ${mode === 'healthy' ? 'up' : 'down'}`} aria-hidden="true" />
              <span>
                {region}: <strong data-testid={`mode-${region}`}>{mode}</strong>
              </span>
              {mode === 'healthy' ? (
                <button type="button" onClick={() => set(region, 'down')}>
                  Take {region} down
                </button>
              ) : (
                <button type="button" onClick={() => set(region, 'healthy')}>
                  Bring {region} back
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </aside>
  )
}
