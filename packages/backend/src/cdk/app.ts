import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { App, Stack } from 'aws-cdk-lib'
import { parseSnapshot, type SnapshotFile } from './auth-environment.js'
import type { DeployConfig } from './config.js'
import type { RegionlessEntries } from './entries.js'
import type { CodeProvider } from './functions.js'
import { RegionlessGlobalStack } from './global-stack.js'
import { RegionlessRegionStack } from './regional-stack.js'

export interface RegionlessAppOptions {
  /** Directory `config.jwksSnapshotPath` is relative to (the config file's). Default: the working directory. */
  baseDir?: string
  /** Prebuilt code instead of esbuild bundling (tests). */
  code?: CodeProvider
  entries?: Partial<RegionlessEntries>
  /** Called with a line for each stack that cannot be built yet and why. */
  notice?: (line: string) => void
}

export interface RegionlessStacks {
  global: RegionlessGlobalStack
  regions: RegionlessRegionStack[]
}

function readSnapshot(config: DeployConfig, baseDir: string): { path: string; content: SnapshotFile } | undefined {
  if (!config.jwksSnapshotPath) return undefined
  const path = resolve(baseDir, config.jwksSnapshotPath)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`jwksSnapshotPath: cannot read ${path}: ${err instanceof Error ? err.message : err}`)
  }
  return { path, content: parseSnapshot(json, path) }
}

/**
 * Adds every stack of a deployment to `app`: the global stack in the primary region, and one stack per
 * region once the config has what that stack needs (`linkKeyArn`; for a replicas secondary, the pool id).
 * Stack names are `<name>-global` and `<name>-<region>`, so `cdk deploy --all` deploys them in order.
 *
 * @example
 * const app = new App()
 * addRegionlessStacks(app, parseDeployConfig(JSON.parse(readFileSync('regionless.config.json', 'utf8'))))
 */
export function addRegionlessStacks(
  app: App,
  config: DeployConfig,
  options: RegionlessAppOptions = {},
): RegionlessStacks {
  const env = (region: string) => ({ region, ...(config.account ? { account: config.account } : {}) })
  const global = new RegionlessGlobalStack(app, `${config.name}-global`, {
    config,
    env: env(config.primaryRegion),
    description: 'Regionless: single-use table (global) and multi-region link signing key',
  })
  const regions: RegionlessRegionStack[] = []
  if (!config.linkKeyArn) {
    options.notice?.('regional stacks skipped: set linkKeyArn to the global stack output LinkKeyArn, then deploy again')
    return { global, regions }
  }
  const snapshot = readSnapshot(config, options.baseDir ?? process.cwd())
  const ordered = [...config.regions].sort(
    (a, b) => Number(b.region === config.primaryRegion) - Number(a.region === config.primaryRegion),
  )
  let primary: Stack | undefined
  for (const { region } of ordered) {
    const secondary = config.topology === 'replicas' && region !== config.primaryRegion
    if (secondary && !config.regions.some((r) => r.userPoolId && r.clientId)) {
      options.notice?.(
        `${config.name}-${region} skipped: set the primary's userPoolId and clientId in the config first`,
      )
      continue
    }
    const stack = new RegionlessRegionStack(app, `${config.name}-${region}`, {
      config,
      env: env(region),
      description: `Regionless in ${region}: user pool, triggers, replication and APIs`,
      ...(snapshot ? { snapshot } : {}),
      ...(options.code ? { code: options.code } : {}),
      ...(options.entries ? { entries: options.entries } : {}),
    })
    stack.addStackDependency(global, 'the table and the primary key exist first')
    if (secondary && primary) stack.addStackDependency(primary, 'the replica is created by the primary')
    if (region === config.primaryRegion) primary = stack
    regions.push(stack)
  }
  return { global, regions }
}
