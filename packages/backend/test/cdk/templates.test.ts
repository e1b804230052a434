import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normalizeTemplate, renderTemplates } from '../../src/cdk/templates.js'
import { deployDir, exampleConfig } from '../helpers/cdk-fixtures.js'

const templatesDir = new URL('../../templates/', import.meta.url).pathname

describe('committed CloudFormation templates', () => {
  // A full synth of the example app, every stack rendered: ~5 s on an idle machine.
  it('equal a fresh synth of deploy/regionless.example.json (run `pnpm --filter @regionless/backend templates`)', () => {
    const fresh = renderTemplates(exampleConfig(), deployDir)
    const committed = readdirSync(templatesDir).filter((f) => f.endsWith('.template.json'))
    expect(committed.sort()).toEqual(Object.keys(fresh).sort())
    for (const [file, body] of Object.entries(fresh)) {
      expect(readFileSync(join(templatesDir, file), 'utf8'), `templates/${file} is stale`).toBe(body)
    }
  }, 120_000)

  it('normalize asset hashes only', () => {
    const hash = 'a'.repeat(64)
    expect(normalizeTemplate({ S3Key: `${hash}.zip`, Name: 'deadbeef' })).toBe(
      '{\n  "S3Key": "<asset-hash>.zip",\n  "Name": "deadbeef"\n}\n',
    )
  })
})
