// `pnpm demo`: the emulator (two regions), one example API per region and the
// example React app, all on 127.0.0.1, no AWS account. Ctrl-C stops everything.
import { spawn } from 'node:child_process'
import { setTimeout as delay } from 'node:timers/promises'

// The ports can be moved (the demo's own test does) with DEMO_PORT: control at
// DEMO_PORT, regions after it, APIs at DEMO_PORT + 10 and + 11, app at + 20.
const base = Number(process.env.DEMO_PORT) || 0
const CONTROL = base || 9229
const REGIONS = ['eu-west-1', 'us-east-1']
const API_PORTS = { 'eu-west-1': base ? base + 10 : 8801, 'us-east-1': base ? base + 11 : 8802 }
const APP_PORT = base ? base + 20 : 5173
const controlUrl = `http://127.0.0.1:${CONTROL}`
const children = []

function start(label, args, env = {}, cwd = process.cwd()) {
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The AWS SDK's notice that its 2027 releases need Node 22 says nothing about a local demo: hidden here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, ...env },
  })
  const prefix = (line) => (line ? `[${label}] ${line}` : '')
  for (const stream of [child.stdout, child.stderr]) {
    let rest = ''
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) if (line) console.log(prefix(line))
    })
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[demo] ${label} exited (${signal ?? code}); stopping the demo`)
      stop(1)
    }
  })
  children.push(child)
  return child
}

async function waitFor(url, what) {
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {}
    await delay(100) // polling a port that is not open yet: there is no event to await
  }
  throw new Error(`${what} did not answer at ${url}`)
}

let stopping = false
function stop(code = 0) {
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

const tsx = ['--import', 'tsx']
start('emulator', [
  ...tsx,
  'packages/emulator/src/cli/main.ts',
  '--port',
  String(CONTROL),
  '--regions',
  REGIONS.join(','),
  '--replication',
  // The app calls the region endpoints from its own origin; no other web page may call the emulator.
  '--allow-origin',
  `http://127.0.0.1:${APP_PORT}`,
  '--allow-origin',
  `http://localhost:${APP_PORT}`,
])
await waitFor(`${controlUrl}/_regionless/config`, 'the emulator')
for (const region of REGIONS) {
  start(`api ${region}`, [
    ...tsx,
    'examples/api/src/main.ts',
    '--region',
    region,
    '--port',
    String(API_PORTS[region]),
    '--emulator',
    controlUrl,
    '--origin',
    `http://127.0.0.1:${APP_PORT}`,
    '--origin',
    `http://localhost:${APP_PORT}`,
  ])
}
const apiUrls = Object.fromEntries(REGIONS.map((r) => [r, `http://127.0.0.1:${API_PORTS[r]}`]))
start(
  'app',
  ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', String(APP_PORT), '--strictPort'],
  {
    REGIONLESS_CONTROL_URL: controlUrl,
    REGIONLESS_API_URLS: JSON.stringify(apiUrls),
    REGIONLESS_HOME_REGION: REGIONS[0],
  },
  'examples/react-app',
)
await Promise.all([
  ...REGIONS.map((r) => waitFor(`${apiUrls[r]}/health`, `the ${r} API`)),
  waitFor(`http://127.0.0.1:${APP_PORT}/`, 'the app'),
])

console.log(`
Regionless demo is running (Ctrl-C to stop)

  app          http://127.0.0.1:${APP_PORT}
  passkeys     http://localhost:${APP_PORT}  (the same app: a passkey's RP id is a domain, never an IP)
  inbox        ${controlUrl}/inbox
  emulator     ${controlUrl}/_regionless/config
${REGIONS.map((r) => `  API ${r.padEnd(9)} ${apiUrls[r]}/whoami`).join('\n')}
`)
