'use client'
import type { AuthClient } from '@regionless/client'
import { createContext, type ReactNode, useContext } from 'react'

const ClientContext = createContext<AuthClient | null>(null)

export interface RegionlessProviderProps {
  /** Created once, outside React (`createAuthClient`), so there is one store per app. */
  client: AuthClient
  children?: ReactNode
}

/**
 * Makes a Regionless client available to the hooks and components below.
 *
 * @example
 * const client = createAuthClient(config)
 * root.render(<RegionlessProvider client={client}><App /></RegionlessProvider>)
 */
export function RegionlessProvider({ client, children }: RegionlessProviderProps) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
}

/** The client given to the nearest `<RegionlessProvider>`. */
export function useAuthClient(): AuthClient {
  const client = useContext(ClientContext)
  if (!client) throw new TypeError('Regionless hooks must be used inside <RegionlessProvider client={…}>')
  return client
}
