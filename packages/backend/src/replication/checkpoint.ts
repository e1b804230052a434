import { appendFile, readFile, rm } from 'node:fs/promises'
import type { ShardResult } from './reconcile-shard.js'

/**
 * Where a run records each finished shard, so that a crash, a time-out or a
 * Ctrl-C resumes from the shards not yet finished instead of reading every
 * pool again. (In AWS, Step Functions keeps this state: a failed run is
 * redriven and re-runs only its unfinished shards.)
 */
export interface Checkpoint {
  /** Shards finished by earlier attempts of this run, with their results. */
  finished(): Promise<Map<string, ShardResult>>
  record(result: ShardResult): Promise<void>
  /** Every shard finished: forget them, so that the next run reads everything again. */
  complete?(): Promise<void>
}

/** Thrown when a checkpoint file belongs to another run (other pools, mode or depth). */
export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError'
}

/** A checkpoint in memory (tests; runs that need no resume). */
export function createMemoryCheckpoint(): Checkpoint & { results: Map<string, ShardResult> } {
  const results = new Map<string, ShardResult>()
  return {
    results,
    finished: async () => new Map(results),
    record: async (result) => {
      results.set(result.shard, result)
    },
    complete: async () => {
      results.clear()
    },
  }
}

/**
 * A checkpoint in a file of JSON lines: the run's key first, then one line
 * per finished shard, appended as it finishes (a line cut short by a crash
 * is ignored). Resuming with another key (other pools, depth, mode, dry run
 * or not…) is refused rather than silently skipping shards that were never
 * read. A run that finishes every shard removes the file.
 *
 * @example
 * const checkpoint = createFileCheckpoint('reconcile.checkpoint', runKey)
 */
export function createFileCheckpoint(path: string, runKey: string): Checkpoint {
  let started = false
  let writes: Promise<void> = Promise.resolve()
  return {
    async finished() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
        throw err
      }
      const [head, ...lines] = text.split('\n')
      const key = parseLine(head ?? '')?.runKey
      if (key !== runKey) {
        throw new CheckpointMismatchError(
          `${path} is the checkpoint of another run (${String(key)}, this run is ${runKey}): remove it or pass another file`,
        )
      }
      started = true
      const results = new Map<string, ShardResult>()
      for (const line of lines) {
        const result = parseLine(line) as ShardResult | undefined
        if (result && typeof result.shard === 'string') results.set(result.shard, result)
      }
      return results
    },
    record(result) {
      // Shards finish in parallel: appends go one at a time, the key first. Examples stay out: a resumed
      // run needs the counts, and thousands of shards' examples would fill memory on resume.
      const counts = { ...result, sample: [], unresolvedSample: [], failures: [] }
      const lines = `${started ? '' : `${JSON.stringify({ runKey })}\n`}${JSON.stringify(counts)}\n`
      started = true
      writes = writes.then(() => appendFile(path, lines))
      return writes
    },
    async complete() {
      await writes
      await rm(path, { force: true })
      started = false
    },
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line)
    return typeof value === 'object' && value !== null ? value : undefined
  } catch {
    return undefined
  }
}
