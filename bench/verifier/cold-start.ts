// Cold start: a fresh Node process imports the library and verifies one token from a JWKS snapshot.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Fixture } from './fixtures.js'

export interface ColdStart {
  /** Median time from before the import to after the first verification, measured inside the child. */
  importAndVerifyMs: number
  /** Median wall time of the whole child process (spawn to exit), measured by the parent. */
  processMs: number
}

function childScript(kind: 'regionless' | 'aws-jwt-verify', modulePath: string): string {
  const url = pathToFileURL(modulePath).href
  const verify =
    kind === 'regionless'
      ? `const { createVerifier } = await import(${JSON.stringify(url)})
const v = createVerifier({ pools: [{ userPoolId: f.userPoolId, clientId: f.clientId, jwks: f.jwks }], tokenUse: 'access' })
await v.verify(f.token)`
      : `const { CognitoJwtVerifier } = await import(${JSON.stringify(url)})
const v = CognitoJwtVerifier.create({ userPoolId: f.userPoolId, clientId: f.clientId, tokenUse: 'access' })
v.cacheJwks(f.jwks)
v.verifySync(f.token)`
  return `import { readFileSync } from 'node:fs'
const f = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const t0 = performance.now()
${verify}
process.stdout.write(String(performance.now() - t0))
`
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

/** Runs both libraries' cold starts alternately, `runs` times each, and returns medians. */
export function measureColdStarts(
  fixture: Fixture,
  modules: { regionless: string; awsJwtVerify: string },
  runs: number,
): Record<'regionless' | 'aws-jwt-verify', ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-bench-'))
  const data = join(dir, 'fixture.json')
  const { userPoolId, clientId, jwks } = fixture
  writeFileSync(data, JSON.stringify({ userPoolId, clientId, jwks, token: fixture.tokens[0] }))
  const kinds = ['regionless', 'aws-jwt-verify'] as const
  const scripts = {
    regionless: join(dir, 'regionless.mjs'),
    'aws-jwt-verify': join(dir, 'aws-jwt-verify.mjs'),
  }
  writeFileSync(scripts.regionless, childScript('regionless', modules.regionless))
  writeFileSync(scripts['aws-jwt-verify'], childScript('aws-jwt-verify', modules.awsJwtVerify))
  const samples = {
    regionless: { inner: [] as number[], outer: [] as number[] },
    'aws-jwt-verify': { inner: [] as number[], outer: [] as number[] },
  }
  for (let i = 0; i < runs; i++) {
    for (const kind of i % 2 ? [...kinds].reverse() : kinds) {
      const start = performance.now()
      const child = spawnSync(process.execPath, [scripts[kind], data], { encoding: 'utf8' })
      const outer = performance.now() - start
      if (child.status !== 0) throw new Error(`${kind} cold start failed: ${child.stderr}`)
      samples[kind].inner.push(Number(child.stdout))
      samples[kind].outer.push(outer)
    }
  }
  return {
    regionless: { importAndVerifyMs: median(samples.regionless.inner), processMs: median(samples.regionless.outer) },
    'aws-jwt-verify': {
      importAndVerifyMs: median(samples['aws-jwt-verify'].inner),
      processMs: median(samples['aws-jwt-verify'].outer),
    },
  }
}
