import type { EmulatorConfig } from '../emulator-types.js'

/** The start-up banner: one row per region, then where the inbox and control endpoints are. */
export function renderTable(config: EmulatorConfig, controlUrl: string): string {
  const header = ['region', 'endpoint', 'user pool id', 'client id', 'JWKS URL']
  const rows = config.regions.map((r) => [r.region, r.endpoint, r.userPoolId, r.clientId, r.jwksUri])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [
    `Regionless emulator (${config.topology})`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `inbox:   ${controlUrl}/inbox`,
    `config:  ${controlUrl}/_regionless/config`,
    `faults:  POST ${controlUrl}/_regionless/faults  {"region":"${config.regions[0]?.region ?? ''}","mode":"down"}`,
  ].join('\n')
}
