// `@regionless/backend/cdk`: the construct (`RegionlessAuth`, one region), the
// ready app's stacks (`addRegionlessStacks`) and the deploy config parser.
// What only tests and the repository's scripts use (template rendering, variable
// names) is imported from its own module, not listed here.
export { RegionApis, type RegionApisProps } from './apis.js'
export { addRegionlessStacks, type RegionlessAppOptions, type RegionlessStacks } from './app.js'
export { parseSnapshot, type SnapshotFile } from './auth-environment.js'
export { type DeployConfig, DeployConfigError, type DeployRegion, parseDeployConfig } from './config.js'
export type { RegionlessEntries } from './entries.js'
export type { CodeProvider, HandlerSpec } from './functions.js'
export { RegionlessGlobalStack, type RegionlessGlobalStackProps } from './global-stack.js'
export { frontEndConfig, RegionlessRegionStack, type RegionlessRegionStackProps } from './regional-stack.js'
export { RegionlessAuth, type RegionlessAuthProps, tableName } from './regionless-auth.js'
export { Replication, type ReplicationEntries } from './replication.js'
