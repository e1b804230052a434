export { RegionApis, type RegionApisProps } from './apis.js'
export { addRegionlessStacks, type RegionlessAppOptions, type RegionlessStacks } from './app.js'
export { parseSnapshot, type SnapshotFile } from './auth-environment.js'
export { AUTHORIZER_ENV } from './authorizer-env.js'
export { type DeployConfig, DeployConfigError, type DeployRegion, parseDeployConfig } from './config.js'
export { defaultEntries, hasReplicationEntry, type RegionlessEntries } from './entries.js'
export type { CodeProvider, HandlerSpec } from './functions.js'
export { RegionlessGlobalStack, type RegionlessGlobalStackProps } from './global-stack.js'
export { frontEndConfig, RegionlessRegionStack, type RegionlessRegionStackProps } from './regional-stack.js'
export { RegionlessAuth, type RegionlessAuthProps, tableName } from './regionless-auth.js'
export {
  LIFECYCLE_EVENT_NAMES,
  REPLICATION_ENV,
  REPLICATION_METRICS,
  Replication,
  type ReplicationEntries,
} from './replication.js'
export { normalizeTemplate, renderTemplates, STABLE_CONTEXT } from './templates.js'
