export type { ExternalStore } from './use-external-store.js'
export { useExternalStore } from './use-external-store.js'
