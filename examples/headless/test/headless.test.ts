// The headless example, run with the command its header documents, against the
// emulator: as pnpm 10 passes arguments (with and without `--`), answering the
// code with a space inside the way a person types it.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type RunningEmulator, startEmulator } from '@regionless/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
let emu: RunningEmulator
beforeAll(async () => {
  emu = await startEmulator({ port: 0 })
})
afterAll(() => emu?.close())

/** Runs `pnpm --filter @regionless/example-headless start <args>`; `onPrompt` answers the code prompt. */
function runExample(args: string[], onPrompt?: (write: (line: string) => void) => Promise<void>) {
  const child = spawn('pnpm', ['--filter', '@regionless/example-headless', 'start', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  })
  let out = ''
  let prompted = false
  child.stdout.on('data', (chunk) => {
    out += chunk
    if (!prompted && onPrompt && out.includes('Code from the email:')) {
      prompted = true
      void onPrompt((line) => child.stdin.write(`${line}\n`))
    }
  })
  child.stderr.on('data', (chunk) => {
    out += chunk
  })
  return new Promise<{ status: number | null; out: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, out })),
  )
}

describe('examples/headless', () => {
  it('signs in with `start -- --email …` (the `--` npm needs), reading the code from the inbox', async () => {
    const { status, out } = await runExample([
      '--',
      '--email',
      'dash@example.com',
      '--emulator',
      emu.controlUrl,
      '--from-inbox',
    ])
    expect(out).toContain('signed in as dash@example.com')
    expect(status).toBe(0)
  }, 60_000)

  it('signs in with `start --email …`, the code typed as "123 456"', async () => {
    const email = 'typed@example.com'
    const { status, out } = await runExample(['--email', email, '--emulator', emu.controlUrl], async (write) => {
      const code = emu.inbox().find((m) => m.to === email)?.code
      write(code ? `${code.slice(0, 3)} ${code.slice(3)}` : 'no code')
    })
    expect(out).toContain(`signed in as ${email}`)
    expect(status).toBe(0)
  }, 60_000)
})
