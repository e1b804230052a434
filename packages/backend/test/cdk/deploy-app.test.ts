import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { rejectionOf } from '../../../../test/helpers/rejection.js'

// The ready app as `cdk synth` runs it (tsx, context from the CLI through CDK_CONTEXT_JSON). Without
// linkKeyArn only the global stack is built, so this needs no bundling.
const deployDir = new URL('../../deploy/', import.meta.url).pathname
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), 'regionless-app-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Runs the app; returns its output folder. A failed run throws, its message holding the app's stderr. */
function synth(context: Record<string, unknown>): string {
  const outdir = join(work, String(Object.keys(context).length))
  execFileSync(tsx, ['app.ts'], {
    cwd: deployDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
  })
  return outdir
}

describe('deploy/app.ts', () => {
  it('takes the config from context and builds the global stack first', () => {
    const outdir = synth({
      regionless: {
        name: 'ctx',
        regions: [{ region: 'eu-west-1' }, { region: 'us-east-1' }],
        email: { from: 'hi@example.com' },
        links: { audience: 'app', redirectAllowList: ['https://app.example.com'] },
      },
    })
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'))
    const stacks = Object.entries(manifest.artifacts as Record<string, { type: string; environment?: string }>)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id, a]) => [id, a.environment])
    expect(stacks).toEqual([['ctx-global', 'aws://unknown-account/eu-west-1']])
  }, 120_000)

  it('fails with the setting named when the config is wrong', () => {
    const failed = rejectionOf(() => synth({ regionless: { regions: [{ region: 'eu-west-1' }] }, x: 1 }))
    expect((failed as { stderr: string }).stderr).toContain('regions: must list at least two regions')
  }, 120_000)
})
