// Bundled by load.ts, where `react` and `react-dom` are React 18.
export { createAuthClient } from '@regionless/client'
export { createElement, version } from 'react'
export { renderToString } from 'react-dom/server'
export { PasswordlessLogin, RegionlessProvider, useRegion } from '../../../src/index.js'
