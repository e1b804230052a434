import { createAuthClient, localStorageAdapter } from '@regionless/client'
import { passkeys } from '@regionless/client/passkeys'
import { RegionlessProvider } from '@regionless/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App, type DemoConfig } from './App.js'
import './styles.css'

// The dev server serves the emulator's configuration with each region's API URL added.
const config = (await (await fetch('/regionless.config.json')).json()) as DemoConfig
const client = createAuthClient({
  topology: config.topology,
  regions: config.regions,
  homeRegion: config.homeRegion,
  storage: localStorageAdapter(),
  bridge: 'eager',
  // Passkeys: registered through one region's API, accepted by every region's sign-in.
  passkeys: passkeys(),
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RegionlessProvider client={client}>
      <App config={config} />
    </RegionlessProvider>
  </StrictMode>,
)
