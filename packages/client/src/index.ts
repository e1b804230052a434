export type { RegionlessErrorCode, RegionlessErrorOptions } from './errors.js'
export { codeForCognitoType, errorFromCognito, isRegionlessError, RegionlessError } from './errors.js'
