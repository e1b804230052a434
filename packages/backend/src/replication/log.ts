/** One structured replication log record (JSON in Lambda logs); never holds an email or a token. */
export interface ReplicationLogEntry {
  level: 'info' | 'warn' | 'error'
  event: string
  [field: string]: unknown
}

export type ReplicationLog = (entry: ReplicationLogEntry) => void

/** Default: one JSON line per record on stdout/stderr. */
export const consoleLog: ReplicationLog = (entry) =>
  (entry.level === 'info' ? console.log : console.error)(JSON.stringify(entry))
