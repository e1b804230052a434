import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, type Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { addRegionlessStacks, type DeployConfig, parseDeployConfig } from '../../src/cdk/index.js'
import { STABLE_CONTEXT } from '../../src/cdk/templates.js'

export const deployDir = new URL('../../deploy/', import.meta.url).pathname

/** The committed example config (two regions, pools, peers known, a snapshot). */
export function exampleConfig(overrides: Record<string, unknown> = {}): DeployConfig {
  const raw = JSON.parse(readFileSync(join(deployDir, 'regionless.example.json'), 'utf8'))
  return parseDeployConfig({ ...raw, ...overrides })
}

let stubDir: string | undefined
/** One tiny asset for every function: the tests check CloudFormation, not bundles. */
export function stubCode(): lambda.Code {
  if (!stubDir) {
    stubDir = mkdtempSync(join(tmpdir(), 'regionless-cdk-'))
    mkdirSync(stubDir, { recursive: true })
    writeFileSync(join(stubDir, 'index.js'), 'exports.handler = async () => ({})\n')
  }
  return lambda.Code.fromAsset(stubDir)
}

export function synthExample(config: DeployConfig = exampleConfig()) {
  const app = new App({ context: STABLE_CONTEXT, analyticsReporting: false })
  const notices: string[] = []
  const stacks = addRegionlessStacks(app, config, {
    baseDir: deployDir,
    code: () => stubCode(),
    notice: (line) => notices.push(line),
  })
  return { app, stacks, notices }
}

/** A CloudFormation resource or value as the assertions return it (plain JSON, untyped). */
// biome-ignore lint/suspicious/noExplicitAny: synthesized templates are untyped JSON
export type Cfn = any

/** Synthesizes the app once and gives each stack's template (Template.fromStack would synthesize per call). */
export function templatesOf(app: App, stacks: Stack[]): Template[] {
  const assembly = app.synth()
  return stacks.map((stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template))
}
