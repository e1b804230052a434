import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { addRegionlessStacks } from './app.js'
import type { DeployConfig } from './config.js'

/** Context that keeps templates free of machine-specific metadata (paths, CDK version). */
export const STABLE_CONTEXT = {
  'aws:cdk:enable-path-metadata': false,
  'aws:cdk:enable-asset-metadata': false,
  'aws:cdk:disable-version-reporting': true,
}

/**
 * Asset hashes depend on the bundler's output (esbuild version, machine); everything else in a template
 * is a function of the config. Replacing them makes a template comparable across machines.
 */
export function normalizeTemplate(template: unknown): string {
  return `${JSON.stringify(template, null, 2).replace(/\b[0-9a-f]{64}\b/g, '<asset-hash>')}\n`
}

/**
 * The CloudFormation template of every stack of a deployment, normalized, keyed by `<stack name>.template.json`.
 * Function code is a placeholder asset (templates reference code by hash, which is normalized anyway),
 * so this runs in a second without bundling.
 *
 * @example
 * for (const [file, body] of Object.entries(renderTemplates(config, 'deploy'))) writeFileSync(`templates/${file}`, body)
 */
export function renderTemplates(config: DeployConfig, baseDir: string): Record<string, string> {
  const work = mkdtempSync(join(tmpdir(), 'regionless-templates-'))
  const stub = join(work, 'code')
  try {
    mkdirSync(stub)
    writeFileSync(join(stub, 'index.js'), 'exports.handler = async () => ({})\n')
    const app = new App({ context: STABLE_CONTEXT, analyticsReporting: false, outdir: join(work, 'cdk.out') })
    const stacks = addRegionlessStacks(app, config, { baseDir, code: () => lambda.Code.fromAsset(stub) })
    const assembly = app.synth()
    const out: Record<string, string> = {}
    for (const stack of [stacks.global, ...stacks.regions]) {
      out[`${stack.stackName}.template.json`] = normalizeTemplate(assembly.getStackByName(stack.stackName).template)
    }
    return out
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
