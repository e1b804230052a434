/** Where a sharded run stands: what a progress bar shows. */
export interface RunProgress {
  shards: { done: number; total: number }
  /** Shards finished by an earlier attempt (resumed; not timed). */
  resumed: number
  usersRead: number
  pages: number
  planned: number
  applied: number
  failed: number
  /** Since this attempt started. */
  elapsedMs: number
}

/**
 * Seconds left, from this attempt's pace (resumed shards are not counted in
 * the pace); undefined before the first shard finishes.
 */
export function etaSeconds(progress: RunProgress): number | undefined {
  const doneNow = progress.shards.done - progress.resumed
  if (doneNow <= 0) return undefined
  const left = progress.shards.total - progress.shards.done
  return Math.round(((progress.elapsedMs / doneNow) * left) / 1000)
}

const duration = (seconds: number) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
      : `${seconds}s`

/**
 * One line of progress: a bar, shards, users read, repairs and the ETA.
 *
 * @example
 * progressLine(p) // '[######··············]  31% shards 5/16 · 31,250 users read · 12 repairs · 1,840 users/s · ETA 34s'
 */
export function progressLine(progress: RunProgress, width = 20): string {
  const { done, total } = progress.shards
  const ratio = total ? done / total : 1
  const filled = Math.round(ratio * width)
  const rate = progress.elapsedMs > 0 ? Math.round((progress.usersRead / progress.elapsedMs) * 1000) : 0
  const eta = etaSeconds(progress)
  const bar = `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`
  const parts = [
    `shards ${done}/${total}`,
    `${progress.usersRead.toLocaleString('en')} users read`,
    `${progress.planned.toLocaleString('en')} repairs`,
    ...(progress.failed ? [`${progress.failed} failed`] : []),
    `${rate.toLocaleString('en')} users/s`,
    done === total
      ? `done in ${duration(Math.round(progress.elapsedMs / 1000))}`
      : `ETA ${eta === undefined ? '…' : duration(eta)}`,
  ]
  return `${bar} ${parts.join(' · ')}`
}
