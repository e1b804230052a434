import { fileURLToPath } from 'node:url'
import { defineConfig, type InlineConfig, type Plugin } from 'vite'

const src = (name: string, entry = 'index') =>
  fileURLToPath(new URL(`../../packages/${name}/src/${entry}.ts`, import.meta.url))

export interface DemoSettings {
  /** The emulator's control server; the app reaches it through this dev server. */
  controlUrl: string
  /** The example API of each region, e.g. { 'eu-west-1': 'http://127.0.0.1:8801' }. */
  apiUrls: Record<string, string>
  /** The region the app prefers. */
  homeRegion?: string
}

/**
 * Serves `/regionless.config.json`: the emulator's configuration, with the
 * example APIs' URLs and the home region added, so the app needs no build
 * step per environment.
 */
function demoConfig(settings: DemoSettings): Plugin {
  return {
    name: 'regionless-demo-config',
    configureServer(server) {
      server.middlewares.use('/regionless.config.json', async (_req, res) => {
        try {
          const upstream = await fetch(new URL('/_regionless/config', settings.controlUrl))
          const config = (await upstream.json()) as { regions: Array<{ region: string }> }
          const regions = config.regions.map((r) => ({ ...r, apiUrl: settings.apiUrls[r.region] }))
          res.setHeader('content-type', 'application/json')
          res.end(
            JSON.stringify({ ...config, regions, homeRegion: settings.homeRegion, controlUrl: settings.controlUrl }),
          )
        } catch (err) {
          res.statusCode = 502
          res.end(JSON.stringify({ error: `emulator not reachable at ${settings.controlUrl}: ${String(err)}` }))
        }
      })
    },
  }
}

export function demoViteConfig(settings: DemoSettings): InlineConfig {
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    configFile: false,
    logLevel: 'warn',
    plugins: [demoConfig(settings)],
    resolve: {
      // The most specific first: `@regionless/client/passkeys` is not `@regionless/client` + a path.
      alias: [
        { find: '@regionless/client/passkeys', replacement: src('client', 'passkeys/index') },
        { find: '@regionless/client', replacement: src('client') },
        { find: '@regionless/react', replacement: src('react') },
      ],
    },
    server: {
      host: '127.0.0.1',
      // The demo's fault panel talks to the emulator through this server: same origin, no CORS.
      proxy: { '/_regionless': settings.controlUrl },
    },
  }
}

export default defineConfig(
  demoViteConfig({
    controlUrl: process.env.REGIONLESS_CONTROL_URL ?? 'http://127.0.0.1:9229',
    apiUrls: JSON.parse(
      process.env.REGIONLESS_API_URLS ?? '{"eu-west-1":"http://127.0.0.1:8801","us-east-1":"http://127.0.0.1:8802"}',
    ),
    homeRegion: process.env.REGIONLESS_HOME_REGION ?? 'eu-west-1',
  }),
)
