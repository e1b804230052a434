import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The ready app as `cdk synth` runs it (tsx, context from the CLI through CDK_CONTEXT_JSON). Without
// linkKeyArn only the global stack is built, so this needs no bundling.
const deployDir = new URL('../../deploy/', import.meta.url).pathname
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), 'regionless-app-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function synth(context: Record<string, unknown>) {
  const outdir = join(work, String(Object.keys(context).length))
  try {
    const stderr = execFileSync(tsx, ['app.ts'], {
      cwd: deployDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    })
    return { ok: true, outdir, output: stderr }
  } catch (err) {
    const e = err as { stderr?: string }
    return { ok: false, outdir, output: e.stderr ?? String(err) }
  }
}

describe('deploy/app.ts', () => {
  it('takes the config from context and builds the global stack first', () => {
    const result = synth({
      regionless: {
        name: 'ctx',
        regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
        email: { from: 'hi@example.com' },
        links: { audience: 'app', redirectAllowList: ['https://app.example.com'] },
      },
    })
    expect(result.ok, result.output).toBe(true)
    const manifest = JSON.parse(readFileSync(join(result.outdir, 'manifest.json'), 'utf8'))
    const stacks = Object.entries(manifest.artifacts as Record<string, { type: string; environment?: string }>)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id, a]) => [id, a.environment])
    expect(stacks).toEqual([['ctx-global', 'aws://unknown-account/eu-west-1']])
  }, 120_000)

  it('fails with the setting named when the config is wrong', () => {
    const result = synth({ regionless: { regions: [{ region: 'eu-west-1' }] }, x: 1 })
    expect(result.ok).toBe(false)
    expect(result.output).toContain('regions: must list at least two regions')
  }, 120_000)
})
