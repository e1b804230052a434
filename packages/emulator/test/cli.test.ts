import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { usernameForEmail } from '@regionless/backend'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const children: ChildProcess[] = []

/** Runs the CLI through tsx from the repo root (so workspace packages resolve to their sources). */
function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, stdio: 'pipe' })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const output = (until: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (until.test(stdout)) resolve(stdout)
      }
      child.stdout?.on('data', check)
      exited.then(() => reject(new Error(`exited before ${until}: ${stdout}${stderr}`)))
      check()
    })
  return { child, exited, output, stderr: () => stderr }
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

describe('regionless-emulator CLI', () => {
  it('prints the region table and the inbox URL, serves the config, logs triggers, stops on SIGTERM', async () => {
    const proc = run(['--port', '0', '--regions', 'eu-central-1,us-west-2'])
    const banner = await proc.output(/config:\s+http:\/\/127\.0\.0\.1:\d+\/_regionless\/config/)
    expect(banner).toMatch(/region\s+endpoint\s+user pool id\s+client id\s+JWKS URL/)
    expect(banner).toMatch(
      /eu-central-1\s+http:\/\/127\.0\.0\.1:\d+\s+eu-central-1_\w{9}\s+[0-9a-z]{26}\s+http:\/\/\S+\/\.well-known\/jwks\.json/,
    )
    expect(banner).toMatch(/us-west-2\s+http:\/\/127\.0\.0\.1:\d+/)
    const inboxUrl = /inbox:\s+(\S+)/.exec(banner)?.[1] ?? ''
    expect(inboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/inbox$/)
    const config = (await (await fetch(inboxUrl.replace('/inbox', '/_regionless/config'))).json()) as {
      regions: { region: string; endpoint: string; clientId: string }[]
    }
    expect(config.regions.map((r) => r.region)).toEqual(['eu-central-1', 'us-west-2'])

    const region = config.regions[0]!
    await fetch(region.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: JSON.stringify({
        ClientId: region.clientId,
        Username: 'u_00000000000000000000000000000000',
        Password: 'Aa1!aaaaaa',
        UserAttributes: [{ Name: 'email', Value: 'cli@example.com' }],
      }),
    })
    const logged = await proc.output(/\[trigger\] eu-central-1 PreSignUp_SignUp/)
    expect(logged).toMatch(/^\d\d:\d\d:\d\d \[trigger\] eu-central-1 PreSignUp_SignUp u_0+ → failed: /m)

    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
  })

  it('--replication copies a confirmed user into the peer pool', async () => {
    const proc = run(['--port', '0', '--replication'])
    const banner = await proc.output(/config:\s+(\S+)\n/)
    const configUrl = /config:\s+(\S+)/.exec(banner)![1]!
    const config = (await (await fetch(configUrl)).json()) as {
      regions: { region: string; endpoint: string; clientId: string }[]
    }
    const [home, peer] = config.regions
    const username = usernameForEmail('replicated@example.com')
    const signUp = await fetch(home!.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: JSON.stringify({
        ClientId: home!.clientId,
        Username: username,
        Password: 'Aa1!aaaaaa',
        UserAttributes: [{ Name: 'email', Value: 'replicated@example.com' }],
      }),
    })
    expect(signUp.status).toBe(200)
    // Post confirmation replicates to healthy peers before SignUp answers.
    const users = (await (await fetch(configUrl.replace('/config', `/users?region=${peer!.region}`))).json()) as {
      username: string
    }[]
    expect(users.map((u) => u.username)).toEqual([username])
    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
  })

  it('--config FILE sets the app client (refresh-token rotation here); a bad setting exits 1 naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regionless-cli-'))
    const good = join(dir, 'good.json')
    const bad = join(dir, 'bad.json')
    writeFileSync(good, JSON.stringify({ client: { refreshTokenRotation: { feature: 'ENABLED' } } }))
    writeFileSync(
      bad,
      JSON.stringify({ client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 90 } } }),
    )
    const refused = run(['--port', '0', '--config', bad])
    expect(await refused.exited).toBe(1)
    expect(refused.stderr()).toContain(
      'client.refreshTokenRotation.retryGracePeriodSeconds: must be an integer from 0 to 60',
    )

    const proc = run(['--port', '0', '--regions', 'eu-west-1', '--config', good])
    const banner = await proc.output(/config:\s+(\S+)\n/)
    const configUrl = /config:\s+(\S+)/.exec(banner)![1]!
    const [region] = ((await (await fetch(configUrl)).json()) as { regions: { endpoint: string; clientId: string }[] })
      .regions
    const refresh = await fetch(region!.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({
        ClientId: region!.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: 'any' },
      }),
    })
    expect(await refresh.json()).toEqual({
      __type: 'InvalidParameterException',
      message: 'REFRESH_TOKEN_AUTH flow not enabled for this client',
    })
    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
  })

  it('--help prints usage; a bad flag exits 2 with a reason', async () => {
    const help = run(['--help'])
    const bad = run(['--topology', 'mesh'])
    expect(await help.exited).toBe(0)
    expect(await help.output(/Usage/)).toContain('--topology pools|replicas')
    expect(await bad.exited).toBe(2)
    expect(bad.stderr()).toContain('--topology must be pools or replicas')
    expect(await help.output(/Usage/)).toContain('--allow-origin')
    const badOrigin = run(['--allow-origin', 'localhost:3000'])
    expect(await badOrigin.exited).toBe(2)
    expect(badOrigin.stderr()).toContain('--allow-origin localhost:3000 is not a web origin')
  })
})
