import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// `pnpm demo` is the README's first command: start it as a user would (on
// other ports, so it never meets a demo a developer is running) and use it.
const root = fileURLToPath(new URL('../../../', import.meta.url))
const base = 19_300
let child: ChildProcess | undefined

afterAll(() => {
  child?.kill('SIGTERM')
})

describe('pnpm demo', () => {
  it('starts the emulator, both APIs and the app, and prints their URLs', async () => {
    child = spawn(process.execPath, ['scripts/demo.mjs'], {
      cwd: root,
      env: { ...process.env, DEMO_PORT: String(base) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const ready = new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk) => {
        output += chunk
        if (output.includes('Regionless demo is running')) resolve()
      })
      child!.stderr!.on('data', (chunk) => {
        output += chunk
      })
      child!.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)))
    })
    await ready
    expect(output).toContain(`http://127.0.0.1:${base + 20}`)
    expect(output).toContain(`http://127.0.0.1:${base}/inbox`)

    const app = await fetch(`http://127.0.0.1:${base + 20}/`)
    expect(await app.text()).toContain('<div id="root">')
    const config = await (await fetch(`http://127.0.0.1:${base + 20}/regionless.config.json`)).json()
    expect(config.regions.map((r: { region: string; apiUrl: string }) => [r.region, r.apiUrl])).toEqual([
      ['eu-west-1', `http://127.0.0.1:${base + 10}`],
      ['us-east-1', `http://127.0.0.1:${base + 11}`],
    ])
    for (const port of [base + 10, base + 11]) {
      expect((await fetch(`http://127.0.0.1:${port}/whoami`)).status).toBe(401)
    }
    // The fault panel reaches the emulator through the app's own origin.
    const faults = await fetch(`http://127.0.0.1:${base + 20}/_regionless/faults`)
    expect(faults.status).toBe(200)
  }, 60_000)
})
