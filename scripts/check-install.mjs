// Installs the packages as a user would and deploys from there: packs every library package (after
// `pnpm build`), installs the tarballs with npm into an empty folder together with aws-cdk-lib,
// constructs and esbuild from the registry (the versions the workspace uses), imports every entry point,
// and synthesizes the CDK app with every Lambda entry bundled by local esbuild (no Docker). A dependency
// a package uses but does not declare (the backend's authorizer needs @regionless/verifier) fails here.
// Everything, npm's cache included, lives in one temp folder that is removed at the end.
// Run by scripts/check-packages.mjs; alone: `node scripts/check-install.mjs` (prints each step's time).
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const deployDir = join(root, 'packages/backend/deploy')
const work = mkdtempSync(join(tmpdir(), 'regionless-install-'))
const tarballDir = join(work, 'tarballs')
const appDir = join(work, 'app')

// npm must not pick up the settings pnpm passes to scripts (it would warn about each, or obey them).
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key) || /^npm_config_registry$/i.test(key)),
)

function sh(cmd, args, cwd, extraEnv = {}) {
  try {
    const options = { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    return execFileSync(cmd, args, { ...options, maxBuffer: 64e6 })
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}\n${err.stdout ?? ''}${err.stderr ?? ''}`)
  }
}

function step(name, run) {
  const started = Date.now()
  const result = run()
  console.log(`  ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

/** The version installed in the workspace, so the user's folder gets the one the tests use. */
const workspaceVersion = (name) =>
  JSON.parse(readFileSync(join(root, 'packages/backend/node_modules', name, 'package.json'), 'utf8')).version

try {
  const tarballs = step('pnpm pack every package', () => {
    mkdirSync(tarballDir)
    sh('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballDir], root)
    return readdirSync(tarballDir).map((file) => {
      const manifest = JSON.parse(sh('tar', ['-xzOf', join(tarballDir, file), 'package/package.json'], root))
      return {
        name: manifest.name,
        exports: Object.keys(manifest.exports ?? { '.': null }),
        spec: `file:${join(tarballDir, file)}`,
      }
    })
  })

  // The app depends on what an app that deploys and tests with Regionless imports; the tarballs stand in
  // for the registry through `overrides`, so one package reaches another only through a declared
  // dependency. The verifier is nobody's direct dependency here: it is there only if the backend declares it.
  const direct = tarballs.filter((t) => t.name !== '@regionless/verifier')
  step('npm install the tarballs, aws-cdk-lib, constructs and esbuild', () => {
    mkdirSync(appDir)
    const manifest = {
      name: 'regionless-install-check',
      private: true,
      dependencies: {
        ...Object.fromEntries(direct.map((t) => [t.name, t.spec])),
        'aws-cdk-lib': workspaceVersion('aws-cdk-lib'),
        constructs: workspaceVersion('constructs'),
        esbuild: workspaceVersion('esbuild'),
      },
      overrides: Object.fromEntries(tarballs.map((t) => [t.name, direct.includes(t) ? `$${t.name}` : t.spec])),
    }
    writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    sh('npm', ['install', '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel=error'], appDir)
  })

  step('import every entry point of the installed packages', () => {
    const specifiers = direct.flatMap((t) =>
      t.exports.filter((e) => e !== './package.json').map((e) => (e === '.' ? t.name : `${t.name}${e.slice(1)}`)),
    )
    writeFileSync(join(appDir, 'imports.mjs'), `for (const s of ${JSON.stringify(specifiers)}) await import(s)\n`)
    sh(process.execPath, ['imports.mjs'], appDir)
  })

  const out = step('cdk synth of the example deployment, every Lambda entry bundled with esbuild', () => {
    copyFileSync(join(deployDir, 'regionless.example.json'), join(appDir, 'regionless.json'))
    copyFileSync(join(deployDir, 'jwks-snapshot.example.json'), join(appDir, 'jwks-snapshot.example.json'))
    // One region bundles (`aws:cdk:bundling-stacks`, what `cdk synth <stack>` does): every entry once.
    writeFileSync(
      join(appDir, 'app.mjs'),
      `import { readFileSync } from 'node:fs'
import { App } from 'aws-cdk-lib'
import { addRegionlessStacks, parseDeployConfig } from '@regionless/backend/cdk'

const config = parseDeployConfig(JSON.parse(readFileSync('regionless.json', 'utf8')))
const bundled = \`\${config.name}-\${config.primaryRegion}\`
const app = new App({ outdir: 'cdk.out', context: { 'aws:cdk:bundling-stacks': [bundled] } })
addRegionlessStacks(app, config, { baseDir: process.cwd() })
app.synth()
`,
    )
    sh(process.execPath, ['app.mjs'], appDir)
    const { name, primaryRegion } = JSON.parse(readFileSync(join(appDir, 'regionless.json'), 'utf8'))
    return JSON.parse(readFileSync(join(appDir, 'cdk.out', `${name}-${primaryRegion}.template.json`), 'utf8'))
  })

  step('each function has its bundle; the authorizer runs from its own', () => {
    // Every function built from an entry (the API's inline `/me` stub has no asset).
    const functions = Object.values(out.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Code.S3Key,
    )
    if (functions.length < 10)
      throw new Error(`expected the triggers, replication and the authorizer, got ${functions.length} functions`)
    const bundleOf = (fn) => join(appDir, 'cdk.out', `asset.${fn.Properties.Code.S3Key.replace('.zip', '')}`)
    for (const fn of functions) {
      if (!existsSync(join(bundleOf(fn), 'index.js'))) throw new Error(`${fn.Properties.FunctionName} has no bundle`)
    }
    const authorizer = functions.find((fn) => fn.Properties.FunctionName.endsWith('-http-authorizer'))
    const dir = bundleOf(authorizer)
    if (!existsSync(join(dir, 'jwks-snapshot.json'))) throw new Error('the authorizer bundle has no JWKS snapshot')
    const answer = sh(
      process.execPath,
      [
        '-e',
        `require('./index.js').handler({ type: 'REQUEST', routeArn: 'arn', headers: { authorization: 'Bearer x.y.z' } }).then((r) => console.log(JSON.stringify(r)))`,
      ],
      dir,
      {
        LAMBDA_TASK_ROOT: dir,
        REGIONLESS_VERIFIER_POOLS: JSON.stringify([
          { userPoolId: 'us-east-1_EXAMPLE02', clientId: 'example2clientid0000000000' },
        ]),
      },
    )
    if (JSON.parse(answer).isAuthorized !== false) throw new Error(`the authorizer answered ${answer}`)
  })
} catch (err) {
  console.error(`  FAIL ${err.message}`)
  process.exitCode = 1
} finally {
  // `rm -rf` removes the 400 MB of node_modules and npm cache several times faster than rmSync.
  step('remove the temp folder', () => sh('rm', ['-rf', work], tmpdir()))
}
