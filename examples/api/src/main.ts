import { parseArgs } from 'node:util'
import { accountDeletionFromEmulator } from './account-deletion.js'
import { passkeysFromEmulator } from './passkeys.js'
import { loadPoolsFromEmulator, startExampleApi } from './server.js'

const { values } = parseArgs({
  options: {
    region: { type: 'string' },
    port: { type: 'string', default: '8801' },
    emulator: { type: 'string', default: 'http://127.0.0.1:9229' },
    origin: { type: 'string', multiple: true, default: ['http://127.0.0.1:5173', 'http://localhost:5173'] },
  },
})
if (!values.region) {
  console.error('usage: tsx src/main.ts --region eu-west-1 [--port 8801] [--emulator http://127.0.0.1:9229]')
  process.exit(2)
}
const accountDeletion = await accountDeletionFromEmulator(values.emulator, values.region)
const passkeys = await passkeysFromEmulator(values.emulator, values.region)
const api = await startExampleApi({
  region: values.region,
  port: Number(values.port),
  pools: await loadPoolsFromEmulator(values.emulator),
  allowedOrigins: values.origin,
  ...(accountDeletion && { accountDeletion }),
  ...(passkeys && { passkeys }),
})
console.log(`example API for ${values.region} on ${api.url}`)
