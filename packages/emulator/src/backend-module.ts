/** The backend's main entry and its `/replication` subpath, as one object. */
export type BackendModule = typeof import('@regionless/backend') & typeof import('@regionless/backend/replication')

/**
 * Loaded on demand, alongside the pools' RSA keys. (The main entry is loaded already: the config reads
 * the settings tables and ConfigError from it; on two busy cores loading both together gained nothing.)
 */
export const loadBackend = async (): Promise<BackendModule> => {
  const [triggers, replication] = await Promise.all([
    import('@regionless/backend'),
    import('@regionless/backend/replication'),
  ])
  return { ...triggers, ...replication }
}
