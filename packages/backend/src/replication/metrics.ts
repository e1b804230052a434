/** Receives one CloudWatch embedded-metric-format line (default: stdout, which Lambda ships to CloudWatch Logs). */
export type MetricsSink = (line: string) => void

export const METRICS_NAMESPACE = 'Regionless'

/** Metric names the replication handlers publish (the deploy app's alarms use `ReplicationLagMs`). */
export const REPLICATION_METRIC_NAMES = {
  lag: 'ReplicationLagMs',
  applied: 'ReplicationApplied',
  retries: 'ReplicationRetries',
  throttled: 'ReplicationThrottled',
  poison: 'ReplicationPoison',
  deferred: 'ReplicationDeferred',
  dlqDepth: 'ReplicationDlqDepth',
  drift: 'ReplicationDriftRepaired',
  /** Users reconcile found missing from some pools with no tombstone, and left for a person to decide. */
  unresolved: 'ReplicationUnresolved',
} as const

export type MetricUnit = 'Milliseconds' | 'Count' | 'Seconds'

export interface Metric {
  name: string
  value: number
  unit: MetricUnit
}

/**
 * One EMF line: CloudWatch extracts the metrics from the log line itself, so
 * handlers need no PutMetricData call (and no extra latency or permission).
 * Each metric is published twice: without dimensions (what alarms watch) and
 * per the given dimensions (for dashboards).
 *
 * @example
 * emfLine({ dimensions: { SourceRegion: 'eu-west-1', TargetRegion: 'us-east-1' },
 *           metrics: [{ name: 'ReplicationLag', value: 120, unit: 'Milliseconds' }], now: Date.now() })
 */
export function emfLine(entry: {
  dimensions: Record<string, string>
  metrics: Metric[]
  now: number
  namespace?: string
}): string {
  const names = Object.keys(entry.dimensions)
  const values: Record<string, number> = {}
  for (const m of entry.metrics) values[m.name] = m.value
  return JSON.stringify({
    _aws: {
      Timestamp: Math.floor(entry.now),
      CloudWatchMetrics: [
        {
          Namespace: entry.namespace ?? METRICS_NAMESPACE,
          Dimensions: [[], names],
          Metrics: entry.metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...entry.dimensions,
    ...values,
  })
}

export const consoleMetrics: MetricsSink = (line) => console.log(line)
