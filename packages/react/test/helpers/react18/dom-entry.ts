// Bundled by load.ts, where `react` and `react-dom` are React 18.
export { createElement, version } from 'react'
export { createRoot, hydrateRoot } from 'react-dom/client'
export { renderToString } from 'react-dom/server'
export { act } from 'react-dom/test-utils'
export { PasswordlessLogin, RegionlessProvider } from '../../../src/index.js'
export { fakeClient } from '../fake-client.js'
