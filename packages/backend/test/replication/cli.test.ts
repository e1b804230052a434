import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli as run } from '../../src/replication/cli.js'
import { parseCliArgs, UsageError } from '../../src/replication/cli-args.js'

const io = () => {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, fetch } }
}

describe('regionless-backend command line', () => {
  it('parses pools, endpoints and flags', () => {
    expect(
      parseCliArgs([
        'reconcile',
        '--pool',
        'eu-west-1=eu-west-1_abc',
        '--pool',
        'us-east-1=us-east-1_def',
        '--endpoint',
        'eu-west-1=http://127.0.0.1:9230',
        '--dry-run',
        '--missing',
        'create',
        '--concurrency',
        '8',
      ]),
    ).toEqual({
      command: 'reconcile',
      pools: [
        { region: 'eu-west-1', userPoolId: 'eu-west-1_abc' },
        { region: 'us-east-1', userPoolId: 'us-east-1_def' },
      ],
      endpoints: { 'eu-west-1': 'http://127.0.0.1:9230' },
      missing: 'create',
      concurrency: 8,
      skipPoison: false,
      dryRun: true,
    })
    expect(parseCliArgs(['redrive', '--emulator', 'http://127.0.0.1:9229/', '--region', 'eu-west-1'])).toMatchObject({
      emulator: 'http://127.0.0.1:9229',
      region: 'eu-west-1',
    })
  })

  it.each([
    [['merge']],
    [['reconcile', '--pool', 'nowhere']],
    [['reconcile', '--endpoint', 'eu-west-1=']],
    [['reconcile', '--max', '-1']],
    [['reconcile', '--missing', 'guess']],
    [['reconcile', '--frobnicate']],
    [['backfill', '--from']],
  ])('rejects %j with a usage error', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError)
  })

  it('prints help, and exits 2 with the usage on a mistake', async () => {
    const a = io()
    expect(await run(['--help'], a.io)).toBe(0)
    expect(a.out.join('\n')).toContain('regionless-backend <reconcile|backfill|redrive|redrive-lifecycle>')
    const b = io()
    expect(await run(['reconcile', '--pool', 'eu-west-1=eu-west-1_a'], b.io)).toBe(2)
    expect(b.err.join('\n')).toContain('reconcile needs two or more pools')
    const c = io()
    expect(await run(['redrive'], c.io)).toBe(2)
    expect(c.err.join('\n')).toContain('redrive needs --queue-url and --dlq-url')
    const d = io()
    expect(await run(['redrive-lifecycle', '--queue-url', 'https://sqs.eu-west-1.amazonaws.com/1/q'], d.io)).toBe(2)
    expect(d.err.join('\n')).toContain('redrive-lifecycle needs --function NAME')
    const e = io()
    expect(await run(['redrive-lifecycle'], e.io)).toBe(2)
    expect(e.err.join('\n')).toContain('redrive-lifecycle needs --queue-url')
  })

  describe('credentials', () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY }
    afterEach(() => {
      for (const [name, value] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    })

    /** A Cognito endpoint with empty pools that records the access key of each signed request. */
    async function signedKeys(env: Record<string, string>) {
      const keys: string[] = []
      const server = createServer((req, res) => {
        keys.push(/Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unsigned')
        req.resume()
        req.on('end', () => {
          res.setHeader('content-type', 'application/x-amz-json-1.1')
          res.end(JSON.stringify({ Users: [] }))
        })
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      try {
        const a = io()
        a.io.env = env
        const argv = ['reconcile', '--pool', 'eu-west-1=eu-west-1_a', '--pool', 'us-east-1=us-east-1_b']
        const code = await run([...argv, '--endpoint', `eu-west-1=${url}`, '--endpoint', `us-east-1=${url}`], a.io)
        expect(code, a.err.join('\n')).toBe(0)
      } finally {
        server.close()
      }
      return [...new Set(keys)]
    }

    it('signs with the keys of the environment it was given, not those of process.env', async () => {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDPROCESSENV'
      process.env.AWS_SECRET_ACCESS_KEY = 'process-secret'
      expect(await signedKeys({ AWS_ACCESS_KEY_ID: 'AKIDGIVEN', AWS_SECRET_ACCESS_KEY: 'given-secret' })).toEqual([
        'AKIDGIVEN',
      ])
    })

    it('signs a local run with placeholder keys when the given environment has none', async () => {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDPROCESSENV'
      process.env.AWS_SECRET_ACCESS_KEY = 'process-secret'
      expect(await signedKeys({})).toEqual(['regionless-cli'])
    })
  })
})
