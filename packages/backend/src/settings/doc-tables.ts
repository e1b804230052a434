// The docs tables of the settings, rendered from the settings tables so that they cannot drift:
// `node --import tsx scripts/settings-docs.ts` writes them into the docs, and a test fails when a doc
// differs from what this renders.
import { APP_CLIENT_SETTINGS } from './app-client-settings.js'
import { REPLICATION_SETTINGS } from './replication-settings.js'
import type { Setting, SettingValue } from './setting.js'
import { TRIGGER_SETTINGS } from './trigger-settings.js'

const rows = (table: Record<string, Setting>) => Object.values(table)
const code = (text: string) => `\`${text}\``
const cell = (text: string) => text.replaceAll('|', '\\|')

function shown(value: SettingValue | undefined): string {
  if (value === undefined) return '—'
  if (typeof value === 'object' && !Array.isArray(value)) {
    const { baseSeconds, maxSeconds } = value as { baseSeconds: number; maxSeconds: number }
    return `base ${baseSeconds} s, max ${maxSeconds} s`
  }
  return code(JSON.stringify(value))
}

/** The doc line with what the value may hold. */
function meaning(setting: Setting, form: 'variable' | 'file'): string {
  const parts = [setting.doc]
  if (setting.kind === 'int') parts.push(`${setting.min}–${setting.max}`)
  if (setting.choices) parts.push(setting.choices.map(code).join(' or '))
  if (setting.kind === 'backoff') parts.push(`seconds from ${setting.min} to ${setting.max}`)
  if (setting.kind === 'json') parts.push(`JSON ${code(setting.json ?? '')}`)
  if (setting.kind === 'list') parts.push(form === 'variable' ? 'comma-separated' : 'an array')
  return cell(parts.join('; '))
}

function table(header: string[], body: string[][]): string {
  return [header, header.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

function whoSets(setting: Setting): string {
  if (setting.deploy) return `deploy config ${code(setting.deploy)}`
  return { construct: 'the construct', lambda: 'Lambda', operator: 'you (optional)' }[setting.setBy ?? 'operator']
}

/** The variables of a Lambda entry: name, required, default, meaning, and what sets it in the deploy app. */
export function variablesTable(table_: Record<string, Setting>): string {
  return table(
    ['variable', 'required', 'default', 'meaning', 'set by'],
    rows(table_)
      .filter((s) => s.env)
      .map((s) => [
        code(s.env as string),
        s.required ? 'yes' : '',
        shown(s.default),
        meaning(s, 'variable'),
        whoSets(s),
      ]),
  )
}

/** The deploy config's keys of every table. */
export function deployTable(): string {
  return table(
    ['setting', 'default', 'meaning'],
    [...rows(APP_CLIENT_SETTINGS), ...rows(TRIGGER_SETTINGS), ...rows(REPLICATION_SETTINGS)]
      .filter((s) => s.deploy)
      .map((s) => [
        code(s.deploy as string),
        s.required ? '— (required)' : shown(s.default),
        meaning(s, 'file') + (s.env ? ` (${code(s.env)})` : ''),
      ]),
  )
}

/** The emulator config file's keys of both tables. */
export function emulatorTable(): string {
  return table(
    ['key', 'default', 'meaning'],
    [...rows(TRIGGER_SETTINGS), ...rows(REPLICATION_SETTINGS)]
      .filter((s) => s.emulator)
      .map((s) => [code(s.emulator as string), shown(s.emulatorDefault ?? s.default), meaning(s, 'file')]),
  )
}

/** Where each generated table goes: a file of the repository and the name of its block. */
export const SETTINGS_DOCS = [
  { file: 'packages/backend/README.md', block: 'trigger-variables', render: () => variablesTable(TRIGGER_SETTINGS) },
  { file: 'docs/replication.md', block: 'replication-variables', render: () => variablesTable(REPLICATION_SETTINGS) },
  { file: 'docs/deploy.md', block: 'deploy-settings', render: deployTable },
  { file: 'docs/emulator.md', block: 'emulator-settings', render: emulatorTable },
] as const

/**
 * `markdown` with the block `name` (between `<!-- settings:name -->` and `<!-- /settings:name -->`)
 * holding `content`, indented like the opening marker. Throws when the markers are missing.
 */
export function replaceBlock(markdown: string, name: string, content: string): string {
  const open = new RegExp(`^([ \\t]*)<!-- settings:${name} -->$`, 'm').exec(markdown)
  const close = markdown.indexOf(`<!-- /settings:${name} -->`)
  if (!open || close < open.index) throw new Error(`no <!-- settings:${name} --> … <!-- /settings:${name} --> block`)
  const indent = open[1] ?? ''
  const body = content
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n')
  const start = open.index + open[0].length
  return `${markdown.slice(0, start)}\n${body}\n${indent}${markdown.slice(close)}`
}
