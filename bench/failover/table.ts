// Figures and the printed table: median, p95, added latency over the healthy
// cell of the same run, and the verdict against the aims of issue 13.
import { CLICKS, OPS, type Op, type Sample } from './journeys.js'
import type { Mode } from './world.js'

export type Cell = Mode | 'breaker open'

export interface CellResult {
  cell: Cell
  samples: Sample[]
  /** Emails counted per click after the cell settled: one number per click. */
  emailsPerClick: Map<Op, number[]>
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
export const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? Number.NaN
export const p95 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? Number.NaN

/** Added-latency aim of a cell, ms; the healthy reference has none. */
export function aimOf(cell: Cell): number | undefined {
  switch (cell) {
    case 'healthy':
      return undefined
    case 'blackhole':
    case 'slow':
      return 1_000
    case 'breaker open':
      return 20
    default:
      return 100
  }
}
const TOTAL_CLICK_AIM_MS = 1_500

const timesOf = (result: CellResult, op: Op) =>
  result.samples.map((s) => s.times[op]).filter((t): t is number => t !== undefined)

function verdict(cell: Cell, op: Op, xs: number[], added: number): string {
  const aim = aimOf(cell)
  if (aim === undefined) return 'reference'
  const overAdded = added > aim
  const overTotal = CLICKS.includes(op) && aim === 1_000 && median(xs) > TOTAL_CLICK_AIM_MS
  const aimText = `≤ ${aim} ms${aim === 1_000 && CLICKS.includes(op) ? `, total ≤ ${TOTAL_CLICK_AIM_MS}` : ''}`
  return `${overAdded || overTotal ? 'OVER' : 'ok'} (${aimText})`
}

function emailsText(result: CellResult, op: Op): string {
  const counts = result.emailsPerClick.get(op)
  if (!counts) return ''
  // A new user told that sign-up is unavailable gets no email: 0 is right there, and only there.
  const clicks = result.samples.filter((s) => s.click.op === op && s.click.at)
  const expected = clicks.map((s) => (s.click.signUpUnavailable && op === 'code click, new user' ? 0 : 1))
  const wrong = counts.filter((n, i) => n !== expected[i]).length
  const spread = [...new Set(counts)].sort().join('/')
  const unavailable = expected.filter((n) => n === 0).length
  const what = unavailable ? `${unavailable} sign-up-unavailable notice(s) with 0 emails, ` : ''
  return wrong
    ? `emails ${spread}: ${wrong} of ${counts.length} clicks wrong`
    : `${what}${counts.length - unavailable} × 1 email per click`
}

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)}` : '—').padStart(6)
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(0)}` : '—').padStart(6)

/** Prints one topology's table: one block per operation, one row per home-region mode. */
export function printTable(topology: string, home: string, results: CellResult[]): void {
  const healthy = results.find((r) => r.cell === 'healthy')!
  console.log(`\n## ${topology} (home region ${home}${topology === 'replicas' ? ', the primary' : ''})`)
  console.log(
    `${'operation'.padEnd(34)} ${'home'.padEnd(13)} ${'median'.padStart(6)} ${'p95'.padStart(6)} ${'added'.padStart(6)}  ${'→ email'.padStart(7)}  verdict${' '.repeat(30)}emails / failures`,
  )
  for (const op of OPS) {
    const base = median(timesOf(healthy, op))
    for (const result of results) {
      const xs = timesOf(result, op)
      const failures = result.samples.map((s) => s.failures[op]).filter(Boolean) as string[]
      if (!xs.length && !failures.length) continue
      const added = median(xs) - base
      const mails = CLICKS.includes(op)
        ? result.samples.filter((s) => s.times[op] !== undefined && s.mailMs !== undefined).map((s) => s.mailMs!)
        : []
      const notes = [emailsText(result, op)]
      const notices = result.samples
        .filter((s) => s.click.op === op && s.noticeMs !== undefined)
        .map((s) => s.noticeMs!)
      if (notices.length) notes.push(`notice after ${median(notices).toFixed(0)} ms (${notices.length}×)`)
      const moved = result.samples.reduce(
        (n, s) => n + (s.times[op] !== undefined && op.startsWith('answer') ? s.moved : 0),
        0,
      )
      if (moved) notes.push(`${moved}× a new code after failover mid sign-in (announced)`)
      if (failures.length) notes.push(`FAILED ${failures.length}×: ${[...new Set(failures)].join(', ')}`)
      console.log(
        `${op.padEnd(34)} ${result.cell.padEnd(13)} ${ms(median(xs))} ${ms(p95(xs))} ${signed(added)}  ${mails.length ? ms(median(mails)).padStart(7) : '       '}  ${(xs.length ? verdict(result.cell, op, xs, added) : 'FAILED').padEnd(37)}${notes.filter(Boolean).join('; ')}`,
      )
    }
  }
}
