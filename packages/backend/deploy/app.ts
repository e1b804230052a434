// The ready CDK app: `cd packages/backend/deploy && npx cdk deploy --all`.
// Settings come from CDK context `regionless` (a JSON object or string) or from the JSON file named by
// context `config` (default regionless.config.json next to this file). docs/deploy.md walks through it.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { App } from 'aws-cdk-lib'
import { addRegionlessStacks, parseDeployConfig } from '../src/cdk/index.js'

const app = new App()
const here = dirname(new URL(import.meta.url).pathname)
const inline: unknown = app.node.tryGetContext('regionless')
const configPath = resolve(here, String(app.node.tryGetContext('config') ?? 'regionless.config.json'))
const raw = inline === undefined ? JSON.parse(readFileSync(configPath, 'utf8')) : inline
const config = parseDeployConfig(typeof raw === 'string' ? JSON.parse(raw) : raw)

addRegionlessStacks(app, config, {
  baseDir: inline === undefined ? dirname(configPath) : process.cwd(),
  notice: (line) => console.warn(`regionless: ${line}`),
})
app.synth()
