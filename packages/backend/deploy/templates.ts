// Regenerates packages/backend/templates/ from deploy/regionless.example.json:
//   pnpm --filter @regionless/backend templates
// A test fails while the committed templates differ from a fresh synth.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDeployConfig } from '../src/cdk/config.js'
import { renderTemplates } from '../src/cdk/templates.js'

const deployDir = new URL('.', import.meta.url).pathname
const outDir = new URL('../templates/', import.meta.url).pathname
const config = parseDeployConfig(JSON.parse(readFileSync(join(deployDir, 'regionless.example.json'), 'utf8')))
mkdirSync(outDir, { recursive: true })
for (const file of readdirSync(outDir)) if (file.endsWith('.template.json')) rmSync(join(outDir, file))
for (const [file, body] of Object.entries(renderTemplates(config, deployDir))) {
  writeFileSync(join(outDir, file), body)
  console.log(`wrote templates/${file}`)
}
